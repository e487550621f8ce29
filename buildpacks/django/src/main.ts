import { run } from "../../../src/libcnb/index.js";
import { build } from "./build.js";
import { detect } from "./detect.js";

// run() never rejects: it renders errors itself and sets process.exitCode.
void run({ detect, build });
