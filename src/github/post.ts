import { runPost } from "./post-impl.js";

void runPost();
