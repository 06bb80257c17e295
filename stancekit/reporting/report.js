/* Optional enhancements: the report reads the same without JavaScript. */
(function () {
  "use strict";
  var all = document.getElementById("explain-all");
  if (all) {
    all.hidden = false;
    all.addEventListener("click", function () {
      var boxes = document.querySelectorAll("input.xt");
      var on = Array.prototype.some.call(boxes, function (b) { return !b.checked; });
      Array.prototype.forEach.call(boxes, function (b) { b.checked = on; });
      all.textContent = on ? "hide all explanations" : "show all explanations";
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
      var col = th.cellIndex;
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var num = th.getAttribute("data-sort") === "num";
        var dir = th.getAttribute("data-dir") === "desc" ? 1 : -1;
        th.setAttribute("data-dir", dir === 1 ? "asc" : "desc");
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute("data-v") || a.cells[col].textContent;
          var y = b.cells[col].getAttribute("data-v") || b.cells[col].textContent;
          if (num) { return dir * (parseFloat(x) - parseFloat(y)); }
          return dir * x.localeCompare(y);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
