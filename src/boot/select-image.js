// Runs first in every bundle (rollup's banner): picks which firmware image this boot runs.
// Storage's .bootcde holds the image flash.sh installed; a self-update stores a newer one in
// the slot "fwa" or "fwb" and the record "tcboot" (two CRC-checked copies, as store/records.ts
// writes them) names it: {run, prev, trial}. A trial image gets one boot: "tctried" marks it,
// and if the image has not confirmed itself (cloud/self-update.ts) within 30 s, or throws while
// loading, the module restarts and this boot runs `prev` instead. The image run from a slot
// finds FWIMAGE set and goes on to its own code.
if (!function (g) {
  if (g.FWIMAGE) return 0;
  var S = require("Storage"), best, seq, i, raw, a, b, r;
  for (i = 0; i < 2; i++) {
    raw = S.read("tcboot" + "ab"[i]);
    if (!raw) continue;
    a = raw.indexOf(" ");
    b = raw.indexOf(" ", a + 1);
    seq = parseInt(raw.substr(0, a), 10);
    if (a > 0 && b > a && String(E.CRC32(raw.substr(b + 1))) === raw.substring(a + 1, b) && !(best && best.s > seq)) best = { s: seq, j: raw.substr(b + 1) };
  }
  try { r = best && JSON.parse(best.j); } catch (e) { r = 0; }
  if (!r || !r.run) return 0;
  var run = r.run;
  if (r.trial) {
    if (S.read("tctried")) run = r.prev;
    else {
      S.write("tctried", "1");
      g.FWTRIAL = setTimeout(function () { require("ESP8266").reboot(); }, 30000);
    }
  }
  if (run === ".bootcde" || !S.read(run)) return 0;
  g.FWIMAGE = run;
  // The image's functions keep this scope alive: only the code (a flash string) stays in it.
  var code = S.read(run);
  S = best = raw = r = 0;
  try {
    eval(code);
  } catch (e) {
    require("ESP8266").reboot();
  }
  return 1;
}(global))
