import { buildContextFor } from "../../../src/pybuild/testing.js";

/** A BuildContext over temp app and layers dirs with the given app files (conda has no plan entry). */
export const buildContext = buildContextFor(import.meta.dirname, []);
