// The image selector: Storage's .bootcde, the first code every boot runs. A firmware image is a
// package file (tools/firmware-package.js): "fw" as flash.sh or the simulator installed it, or
// the slot "fwa" or "fwb" a self-update filled. The record "tcboot" (two CRC-checked copies, as
// src/store/records.ts writes them) names the image to run: {run, prev, trial}. A trial image
// gets one boot: "tctried" marks it, and if the image has not confirmed itself
// (src/cloud/self-update.ts) within 30 s, or throws while loading, the module restarts and this
// boot runs `prev` instead. The chosen image's core is loaded as the module "tc-core" straight
// from flash and started; FWIMAGE names its package, where the core finds its on-demand modules.
(function (g) {
  var S = require("Storage"), run = "fw", best, seq, i, raw, a, b, r, head, f;
  for (i = 0; i < 2; i++) {
    raw = S.read("tcboot" + "ab"[i]);
    if (!raw) continue;
    a = raw.indexOf(" ");
    b = raw.indexOf(" ", a + 1);
    seq = parseInt(raw.substr(0, a), 10);
    if (a > 0 && b > a && String(E.CRC32(raw.substr(b + 1))) === raw.substring(a + 1, b) && !(best && best.s > seq)) best = { s: seq, j: raw.substr(b + 1) };
  }
  try { r = best && JSON.parse(best.j); } catch (e) { r = 0; }
  if (r && r.run) {
    run = r.run;
    if (r.trial) {
      if (S.read("tctried")) run = r.prev;
      else {
        S.write("tctried", "1");
        g.FWTRIAL = setTimeout(function () { require("ESP8266").reboot(); }, 30000);
      }
    }
  }
  head = S.read(run, 0, 512);
  if (!head || head.substr(0, 6) !== "TCFW1 ") {
    run = "fw";
    head = S.read(run, 0, 512) || "";
  }
  g.FWIMAGE = run;
  i = head.indexOf(" core:");
  if (i < 0) return;
  f = head.substr(i + 6, 24).split(":");
  try {
    Modules.addCached("tc-core", S.read(run, parseInt(f[0], 10), parseInt(f[1], 10)));
    // Started once cached: what it loads from its package requires it by that name.
    require("tc-core").start();
  } catch (e) {
    // A trial image that fails to load gives way to the previous one; the installed one cannot.
    if (run === "fw") throw e;
    require("ESP8266").reboot();
  }
})(global);
