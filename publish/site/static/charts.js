/* vnfacts charts: horizontal bar charts drawn as inline SVG from the JSON the page embeds
   (<script type="application/json" id="vn-chart-data">). Served by the site itself, no library,
   no network: the charts work offline. Each series is a list of {label, mentions, articles}. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function barChart(container, rows) {
    if (!rows || !rows.length) {
      container.textContent = "No data.";
      return;
    }
    var barHeight = 22, gap = 6, labelWidth = 170, width = 560, valueWidth = 40;
    var height = rows.length * (barHeight + gap) + gap;
    var max = Math.max.apply(null, rows.map(function (r) { return r.mentions; })) || 1;
    var svg = el("svg", {width: width, height: height, viewBox: "0 0 " + width + " " + height,
                         role: "img", "class": "vn-bars", "aria-label": container.id});
    rows.forEach(function (r, i) {
      var y = gap + i * (barHeight + gap);
      var w = Math.max(2, (width - labelWidth - valueWidth) * r.mentions / max);
      svg.appendChild(el("text", {x: labelWidth - 8, y: y + barHeight * 0.7, "text-anchor": "end",
                                  "class": "vn-bar-label"}, String(r.label)));
      var bar = el("rect", {x: labelWidth, y: y, width: w, height: barHeight, "class": "vn-bar",
                            "data-label": String(r.label), "data-value": r.mentions});
      bar.appendChild(el("title", {}, r.label + ": " + r.mentions + " mention(s) in " + r.articles + " article(s)"));
      svg.appendChild(bar);
      svg.appendChild(el("text", {x: labelWidth + w + 6, y: y + barHeight * 0.7, "class": "vn-bar-value"},
                         String(r.mentions)));
    });
    container.appendChild(svg);
  }

  function draw() {
    var source = document.getElementById("vn-chart-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    Array.prototype.forEach.call(document.querySelectorAll(".vn-chart"), function (container) {
      barChart(container, data[container.getAttribute("data-series")]);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
