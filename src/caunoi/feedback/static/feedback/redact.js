/* Blurring regions of a report photo, on top of a form that works without it: drag on the
   original to mark a rectangle (a face, a number plate); each becomes a line "x, y, w, h" in
   the photo's own pixels in the form's text box, which the server checks and blurs. */
(function () {
  "use strict";
  function parse(text) {
    return text.split(/[\n;]/).map(function (line) {
      var n = line.match(/-?\d+(\.\d+)?/g);
      return n && n.length === 4 ? n.map(Number) : null;
    }).filter(Boolean);
  }
  document.querySelectorAll(".photo-redact").forEach(function (block) {
    var canvas = block.querySelector(".redact-canvas");
    var box = block.querySelector("textarea[name=regions]");
    var clear = block.querySelector(".redact-clear");
    if (!canvas || !box) { return; }
    var img = canvas.querySelector("img");
    var width = Number(canvas.dataset.width), height = Number(canvas.dataset.height);
    function scale() { return img.clientWidth ? width / img.clientWidth : 1; }
    function draw() {
      canvas.querySelectorAll(".redact-box").forEach(function (el) { el.remove(); });
      var s = scale();
      parse(box.value).forEach(function (r) {
        var el = document.createElement("div");
        el.className = "redact-box";
        el.style.left = (r[0] / s) + "px"; el.style.top = (r[1] / s) + "px";
        el.style.width = (r[2] / s) + "px"; el.style.height = (r[3] / s) + "px";
        canvas.appendChild(el);
      });
    }
    var start = null, live = null;
    function point(event) {
      var rect = img.getBoundingClientRect();
      return {
        x: Math.min(Math.max(event.clientX - rect.left, 0), rect.width),
        y: Math.min(Math.max(event.clientY - rect.top, 0), rect.height)
      };
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = point(event);
      live = document.createElement("div");
      live.className = "redact-box live";
      canvas.appendChild(live);
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!start) { return; }
      var p = point(event);
      live.style.left = Math.min(start.x, p.x) + "px"; live.style.top = Math.min(start.y, p.y) + "px";
      live.style.width = Math.abs(p.x - start.x) + "px"; live.style.height = Math.abs(p.y - start.y) + "px";
    });
    canvas.addEventListener("pointerup", function (event) {
      if (!start) { return; }
      var p = point(event), s = scale();
      var x = Math.round(Math.min(start.x, p.x) * s), y = Math.round(Math.min(start.y, p.y) * s);
      var w = Math.round(Math.abs(p.x - start.x) * s), h = Math.round(Math.abs(p.y - start.y) * s);
      w = Math.min(w, width - x); h = Math.min(h, height - y);
      start = null;
      if (w >= 4 && h >= 4) {
        box.value = (box.value.trim() ? box.value.trim() + "\n" : "") + [x, y, w, h].join(", ");
      }
      draw();
    });
    box.addEventListener("input", draw);
    if (clear) { clear.addEventListener("click", function () { box.value = ""; draw(); }); }
    if (img.complete) { draw(); } else { img.addEventListener("load", draw); }
    window.addEventListener("resize", draw);
  });
})();
