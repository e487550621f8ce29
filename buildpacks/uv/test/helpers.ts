import { buildContextFor, PYTHON_PLAN } from "#pybuild/testing";

/** A BuildContext over temp app and layers dirs with the given app files. */
export const buildContext = buildContextFor(import.meta.dirname, PYTHON_PLAN);
