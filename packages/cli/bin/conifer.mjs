#!/usr/bin/env node
// The installed `conifer` command: runs the TypeScript sources through tsx, as every package of
// this repo runs from source (there is no build step to keep in step with them).
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
