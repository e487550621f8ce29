import { buildContextFor } from "#pybuild/testing";

/** A BuildContext over temp app and layers dirs with the given app files (conda has no plan entry). */
export const buildContext = buildContextFor(import.meta.dirname, []);
