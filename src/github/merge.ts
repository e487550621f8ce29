import { runMerge } from "./merge-impl.js";

void runMerge();
