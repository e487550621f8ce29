import { runMain } from "./main-impl.js";

void runMain();
