// Entry for Deno and Bun: runs the smoke calls against the URL in argv and prints the result as JSON.
import * as sdk from "../../dist/index.js";
import { smoke } from "./smoke.js";

const baseUrl = globalThis.Deno ? globalThis.Deno.args[0] : globalThis.process.argv[2];
console.log(JSON.stringify(await smoke(sdk, baseUrl)));
