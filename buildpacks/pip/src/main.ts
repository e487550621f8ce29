import { run } from "#libcnb";
import { build } from "./build.js";
import { detect } from "./detect.js";

// run() never rejects: it renders errors itself and sets process.exitCode.
void run({ detect, build });
