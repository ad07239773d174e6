// Entry for workerd (`workerd test`): runs the smoke calls against env.BASE_URL; the test reads the logged JSON.
import * as sdk from "client.js";
import { smoke } from "smoke.js";

export default {
  async test(_controller, env) {
    console.log(`RESULT ${JSON.stringify(await smoke(sdk, env.BASE_URL))}`);
  },
};
