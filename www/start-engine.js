// Starts downloading and compiling the engine as soon as pkg/index.js has arrived, while the
// page's own modules (app.js and everything it imports) are still on their way: on a slow
// phone this overlaps the engine's compilation with those downloads. app.js's own
// `engine.init()` then finds the load under way and waits for the same one; if this one
// fails, app.js's call starts again and reports the failure in the family's language.
import { init } from "./pkg/index.js";

init().catch(() => {});
