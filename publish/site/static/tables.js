/* vnfacts on Datasette's table and row pages (publish/site/tables.py says what and why):
   - the column descriptions folded into one <details> (they filled ~900 px above every table;
     each column's description also stays in its header's menu);
   - facet values of coded columns (label, type, qualifier, date_source) in Vietnamese, code kept
     in the link;
   - on the documents table, each id with the form the articles write when it differs.
   Data comes from window.vnfactsTables, written by the plugin's extra_body_script. */
(function () {
  "use strict";
  var data;  // read when the page is parsed: the body script that sets it comes after this file

  function foldDescriptions() {
    var list = document.querySelector("dl.column-descriptions");
    if (!list || list.closest("details")) return;
    var details = document.createElement("details");
    details.className = "vn-column-descriptions";
    var summary = document.createElement("summary");
    summary.textContent = "Mô tả các cột (" + list.querySelectorAll("dt").length + ")";
    details.appendChild(summary);
    list.parentNode.insertBefore(details, list);
    details.appendChild(list);
  }

  function nameFacets() {
    Object.keys(data.names).forEach(function (key) {
      var column = key.split(".").slice(1).join("."), names = data.names[key];
      document.querySelectorAll('.facet-info[data-column="' + column + '"] li').forEach(function (item) {
        // an unselected value is a link; the selected one is the text before its count
        var target = item.querySelector("a:not(.cross)") || item.firstChild;
        if (!target) return;
        var code = target.textContent.replace(/\s*·[\s\S]*$/, "").trim();
        if (!names[code]) return;
        target.textContent = target.textContent.replace(code, names[code]);
        if (target.nodeType === Node.ELEMENT_NODE) {
          target.setAttribute("title", code);
          target.classList.add("vn-coded");
        }
        item.setAttribute("data-code", code);
      });
    });
  }

  function writtenForms() {
    if (!document.body.classList.contains("table")) return;  // row pages: the cell says it already
    document.querySelectorAll("table.rows-and-columns td.col-id a").forEach(function (link) {
      var form = data.writtenForms[link.textContent];
      if (!form || link.parentNode.querySelector(".vn-written")) return;
      var span = document.createElement("span");
      span.className = "vn-written";
      span.title = "cách viết trong bài";
      span.textContent = " (" + form + ")";
      link.parentNode.appendChild(span);
    });
  }

  function run() {
    data = window.vnfactsTables || {names: {}, writtenForms: {}};
    foldDescriptions(); nameFacets(); writtenForms();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
