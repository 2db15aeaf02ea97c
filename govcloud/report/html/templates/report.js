// Filters the decisions table by text and by decision. Without JavaScript the whole table
// shows and the filter stays hidden; printing always shows every row.
(function () {
  "use strict";
  var form = document.getElementById("decision-filter");
  var search = document.getElementById("decision-search");
  var action = document.getElementById("decision-action");
  var count = document.getElementById("decision-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#decision-table tbody tr"));
  if (!form || !search || !action || !count) { return; }
  function apply() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = action.value;
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var match = (!wanted || row.getAttribute("data-action") === wanted) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = shown + " / " + rows.length;
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  search.addEventListener("input", apply);
  action.addEventListener("change", apply);
  apply();
})();
