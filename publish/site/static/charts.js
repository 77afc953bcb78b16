/* vnfacts charts, drawn as inline SVG from the JSON the page embeds
   (<script type="application/json" id="vn-chart-data">). Served by the site itself, no library,
   no network: the charts work offline. A container .vn-chart names its series (data-series):
   - by default, horizontal bars; the series is a list of {label, mentions, articles, estimated?,
     href?} (a bar with an href links to it; `estimated` of its mentions are in articles whose date
     is an estimate, drawn hatched at the bar's end and said in its tooltip: issue #15);
   - data-kind="years": columns over a continuous year axis (every year from the first to the
     last, so 2001 never stands beside 2009), integer ticks on the count axis, each column a link
     to the rows it counts; the series is a list of {year, count, estimated?, href}, data-unit names
     the count (`estimated` of them are articles whose date is an estimate: the column's top part,
     drawn apart and said in its tooltip, issue #15). */
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
      container.textContent = "Không có dữ liệu.";
      return;
    }
    var barHeight = 22, gap = 6, labelWidth = 170, width = 560, valueWidth = 110;
    var height = rows.length * (barHeight + gap) + gap;
    var max = Math.max.apply(null, rows.map(function (r) { return r.mentions; })) || 1;
    var svg = el("svg", {width: width, height: height, viewBox: "0 0 " + width + " " + height,
                         role: "img", "class": "vn-bars", "aria-label": container.id});
    rows.forEach(function (r, i) {
      var y = gap + i * (barHeight + gap);
      var w = Math.max(2, (width - labelWidth - valueWidth) * r.mentions / max);
      svg.appendChild(el("text", {x: labelWidth - 8, y: y + barHeight * 0.7, "text-anchor": "end",
                                  "class": "vn-bar-label"}, String(r.label)));
      var estimated = r.estimated || 0;
      var bar = el("rect", {x: labelWidth, y: y, width: w, height: barHeight, "class": "vn-bar",
                            "data-label": String(r.label), "data-value": r.mentions});
      var said = r.label + ": " + r.mentions + " lần nêu trong " + r.articles + " bài viết" +
        (estimated ? "; " + estimated + " lần trong bài có ngày ước tính" : "");
      bar.appendChild(el("title", {}, said));
      var part = null;
      if (estimated) {  // the estimated share, at the end of the bar
        var pw = w * estimated / r.mentions;
        part = el("rect", {x: labelWidth + w - pw, y: y, width: pw, height: barHeight,
                           "class": "vn-bar-estimated", "data-label": String(r.label), "data-value": estimated});
        part.appendChild(el("title", {}, said));
      }
      var holder = svg;
      if (r.href) {  // a row may name the page of the rows it counts
        holder = el("a", {href: r.href, "class": "vn-bar-link"});
        svg.appendChild(holder);
      }
      holder.appendChild(bar);
      if (part) holder.appendChild(part);
      svg.appendChild(el("text", {x: labelWidth + w + 6, y: y + barHeight * 0.7, "class": "vn-bar-value"},
                         String(r.mentions) + (estimated ? " (" + estimated + " ước tính)" : "")));
    });
    container.appendChild(svg);
  }

  // The step between ticks: a whole number (counts have no halves) giving at most `most` ticks.
  function integerStep(max, most) {
    var step = 1;
    while (max / step > most) {
      step = [1, 2, 5].map(function (m) { return m * Math.pow(10, Math.floor(Math.log10(step))); })
        .concat([10 * Math.pow(10, Math.floor(Math.log10(step)))])
        .filter(function (s) { return s > step; })[0];
    }
    return step;
  }

  function yearChart(container, rows, unit) {
    if (!rows || !rows.length) {
      container.textContent = "Không có dữ liệu.";
      return;
    }
    var first = rows[0].year, last = rows[rows.length - 1].year, byYear = {};
    rows.forEach(function (r) { byYear[r.year] = r; });
    var years = last - first + 1;
    var width = 560, height = 220, left = 40, bottom = 28, top = 10, right = 10;
    var plotW = width - left - right, plotH = height - top - bottom, slot = plotW / years;
    var max = Math.max.apply(null, rows.map(function (r) { return r.count; })) || 1;
    var yStep = integerStep(max, 5), yMax = Math.ceil(max / yStep) * yStep;
    var svg = el("svg", {width: width, height: height, viewBox: "0 0 " + width + " " + height,
                         role: "img", "class": "vn-years", "aria-label": container.id});
    for (var v = 0; v <= yMax; v += yStep) {
      var y = top + plotH - plotH * v / yMax;
      svg.appendChild(el("line", {x1: left, x2: width - right, y1: y, y2: y, "class": "vn-grid"}));
      svg.appendChild(el("text", {x: left - 6, y: y + 4, "text-anchor": "end", "class": "vn-tick vn-y-tick"}, String(v)));
    }
    var xStep = integerStep(years, 12);
    for (var year = first; year <= last; year++) {
      var x = left + (year - first) * slot;
      if (year % xStep === 0) {  // every year, or round years (2000, 2005...) on a long axis
        svg.appendChild(el("text", {x: x + slot / 2, y: height - bottom + 16, "text-anchor": "middle",
                                    "class": "vn-tick vn-x-tick"}, String(year)));
      }
      var r = byYear[year];
      if (!r) continue;
      var h = plotH * r.count / yMax;
      var link = el("a", {href: r.href, "class": "vn-column-link"});
      var said = year + ": " + r.count + " " + (unit || "") +
        (r.estimated ? ", " + r.estimated + " có ngày ước tính" : "");
      var bar = el("rect", {x: x + slot * 0.1, y: top + plotH - h, width: Math.max(1, slot * 0.8), height: h,
                            "class": "vn-bar vn-column", "data-year": year, "data-value": r.count});
      bar.appendChild(el("title", {}, said));
      link.appendChild(bar);
      if (r.estimated) {  // the estimated share, at the top of the column
        var eh = h * r.estimated / r.count;
        var part = el("rect", {x: x + slot * 0.1, y: top + plotH - h, width: Math.max(1, slot * 0.8), height: eh,
                               "class": "vn-bar-estimated", "data-year": year, "data-value": r.estimated});
        part.appendChild(el("title", {}, said));
        link.appendChild(part);
      }
      svg.appendChild(link);
    }
    svg.appendChild(el("line", {x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, "class": "vn-axis"}));
    container.appendChild(svg);
  }

  function draw() {
    var source = document.getElementById("vn-chart-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    Array.prototype.forEach.call(document.querySelectorAll(".vn-chart"), function (container) {
      var series = data[container.getAttribute("data-series")];
      if (container.getAttribute("data-kind") === "years") yearChart(container, series, container.getAttribute("data-unit"));
      else barChart(container, series);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
