/* graphbuild view: draws the actor network with vis-network and wires search, filters and details.
 *
 * All text from articles arrives as JSON data and is put into the page with textContent only;
 * nothing here ever assigns innerHTML. */
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const actors = data.actors;
  const events = data.events;
  // evidence records carry a document row number; give each its title and publisher back
  const withDocument = (list) => list.map((record) => Object.assign({}, data.documents[record.doc], record));
  const claims = withDocument(data.claims); // dotted arrows, off until asked for; edge ids follow the events
  for (const info of events) info.evidence = withDocument(info.evidence);
  for (const actor of actors) {
    actor.quotes = withDocument(actor.quotes);
    actor.solo = withDocument(actor.solo);
    actor.claimsMade = withDocument(actor.claimsMade);
    actor.claimsAbout = withDocument(actor.claimsAbout);
  }

  // ---- small DOM helpers (text only) -------------------------------------------------------
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function checkbox(container, value, label, checked, onChange) {
    const wrapper = el("label", null, "check");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = value;
    input.checked = checked;
    input.addEventListener("change", onChange);
    wrapper.appendChild(input);
    wrapper.appendChild(document.createTextNode(" " + label));
    container.appendChild(wrapper);
    return input;
  }
  function citation(record) {
    const parts = [record.title || record.document || "untitled document", record.publisher, record.date];
    return "— " + parts.filter(Boolean).join(", ");
  }

  // ---- filters -----------------------------------------------------------------------------
  const filters = {
    eventTypes: new Set(data.eventTypes),
    modalities: new Set(["asserted", "hypothetical", "negated"]),
    actorTypes: new Set(data.actorTypes),
    from: "",
    to: "",
    hideIsolated: data.hideIsolated,
    showClaims: false,
    minConfidence: data.minConfidence,
  };
  const shownNode = new Uint8Array(actors.length).fill(1);
  const shownEdge = new Uint8Array(events.length + claims.length).fill(1);

  function inDateRange(date) {
    if (!filters.from && !filters.to) return true;
    if (!date) return false;
    const day = date.slice(0, 10);
    return (!filters.from || day >= filters.from) && (!filters.to || day <= filters.to);
  }
  function eventPasses(info) {
    return (
      filters.eventTypes.has(info.type) &&
      filters.modalities.has(info.modality) &&
      info.confidence >= filters.minConfidence &&
      info.evidence.some((report) => inDateRange(report.date))
    );
  }
  function computeVisibility() {
    const shownEvents = new Uint32Array(actors.length);
    for (let i = 0; i < actors.length; i++) shownNode[i] = filters.actorTypes.has(actors[i].type) ? 1 : 0;
    for (let j = 0; j < events.length; j++) {
      const info = events[j];
      const ok = eventPasses(info) && shownNode[info.source] && shownNode[info.target];
      shownEdge[j] = ok ? 1 : 0;
      if (ok) {
        shownEvents[info.source]++;
        shownEvents[info.target]++;
      }
    }
    claims.forEach((claim, k) => {
      shownEdge[events.length + k] = filters.showClaims && shownNode[claim.source] && shownNode[claim.target] ? 1 : 0;
    });
    if (filters.hideIsolated) {
      // actors that are only mentioned: no event shown and nothing said
      for (let i = 0; i < actors.length; i++) {
        if (!shownEvents[i] && !actors[i].quotes.length && i !== data.centre) shownNode[i] = 0;
      }
    }
  }

  // ---- the network -------------------------------------------------------------------------
  computeVisibility();
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const nodeView = new vis.DataView(nodes, { filter: (node) => shownNode[node.id] === 1 });
  const edgeView = new vis.DataView(edges, { filter: (edge) => shownEdge[edge.id] === 1 });
  const container = document.getElementById("graph");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);

  const view = {
    network: network,
    nodes: nodes,
    edges: edges,
    drawn: false, // first complete drawing done
    settled: false, // layout final: physics stopped (or never ran)
    drawnAt: null, // performance.now() at those moments, for the benchmark
    settledAt: null,
    shownNodeCount: () => nodeView.length,
    shownEdgeCount: () => edgeView.length,
    showActor: showActor,
    showEvent: showEvent,
    showClaim: showClaim,
    applyFilters: applyFilters,
  };
  window.graphView = view;

  function settle() {
    if (view.settled) return;
    view.settled = true;
    view.settledAt = performance.now();
  }
  network.once("afterDrawing", () => {
    view.drawn = true;
    view.drawnAt = performance.now();
    if (!data.physics) settle();
  });
  if (data.physics) {
    // stop the simulation once the layout has stabilised: nodes then stay where they are put
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      settle();
    });
  }

  function applyFilters() {
    computeVisibility();
    nodeView.refresh();
    edgeView.refresh();
  }

  // ---- details panel -----------------------------------------------------------------------
  const details = document.getElementById("details");

  function evidenceList(recordsList, quoteField) {
    const list = el("ul");
    for (const record of recordsList) {
      const item = el("li");
      if (quoteField) item.appendChild(el("blockquote", "“" + record[quoteField] + "”"));
      if (record.sentence && record.sentence !== record[quoteField]) item.appendChild(el("span", record.sentence));
      if (record.rules) item.appendChild(provenance(record));
      item.appendChild(el("span", citation(record), "source"));
      list.appendChild(item);
    }
    return list;
  }
  // why an event was coded so: its lexicon row, the rules that made it (described on hover), its confidence
  function provenance(record) {
    const line = el("span", null, "provenance");
    const coded = record.lexicon ? "coded by the lexicon row “" + record.lexicon + "”" : "coded by the rules";
    line.appendChild(document.createTextNode(coded + "; rules: "));
    record.rules.forEach((id, n) => {
      if (n) line.appendChild(document.createTextNode(", "));
      const rule = el("abbr", id, "rule");
      rule.title = data.rules[id] || "";
      line.appendChild(rule);
    });
    if (record.confidence !== null && record.confidence !== undefined) {
      line.appendChild(document.createTextNode("; confidence " + record.confidence.toFixed(2)));
    }
    return line;
  }
  function eventLink(j, text) {
    const button = el("button", text, "link");
    button.type = "button";
    button.addEventListener("click", () => {
      network.selectEdges([j]);
      showEvent(j);
    });
    return button;
  }
  function actorLink(i) {
    const button = el("button", actors[i].label, "link");
    button.type = "button";
    button.addEventListener("click", () => focusActor(i));
    return button;
  }
  function eventName(info) {
    return (info.modality === "negated" ? "NOT " : "") + info.type + (info.modality === "hypothetical" ? " (hypothetical)" : "");
  }

  // "Borduria → NOT ASSAULT → Ruritania, says Karl Brandt"
  function claimName(claim) {
    return (claim.source_name || "someone") + " → " + eventName(claim) + " → " + (claim.target_name || "(no target)") +
      ", says " + (claim.claimant_name || "an unnamed speaker");
  }
  // "reported by 3 articles from 2 sources (4 mentions) · disputed"
  function clusterLine(cluster) {
    const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");
    return "reported by " + plural(cluster.articles, "article") + " from " + plural(cluster.sources, "source") +
      " (" + plural(cluster.mentions, "mention") + ")" + (cluster.disputed ? " · disputed" : "");
  }

  function showActor(i) {
    const actor = actors[i];
    clear(details);
    details.appendChild(el("h2", actor.label, "title"));
    const facts = [actor.type, actor.country ? "country " + actor.country : "", "centrality " + actor.centrality];
    details.appendChild(el("p", facts.filter(Boolean).join(" · ")));
    if (actor.aliases.length) details.appendChild(el("p", "Also: " + actor.aliases.join("; "), "hint"));

    details.appendChild(el("h3", "Quotations (" + actor.quotes.length + ")"));
    if (actor.quotes.length) details.appendChild(evidenceList(actor.quotes, "quote"));

    const outgoing = [];
    const incoming = [];
    events.forEach((info, j) => {
      if (info.source === i) outgoing.push(j);
      if (info.target === i && info.source !== i) incoming.push(j);
    });
    for (const [title, list, other] of [["Acts on", outgoing, "target"], ["Acted on by", incoming, "source"]]) {
      details.appendChild(el("h3", title + " (" + list.length + ")"));
      const ul = el("ul");
      for (const j of list) {
        const info = events[j];
        const item = el("li");
        item.appendChild(eventLink(j, eventName(info)));
        item.appendChild(document.createTextNode(" " + (other === "target" ? "→ " : "← ")));
        item.appendChild(actorLink(info[other]));
        item.appendChild(el("span", info.reports + " report" + (info.reports === 1 ? "" : "s"), "source"));
        ul.appendChild(item);
      }
      details.appendChild(ul);
    }
    recordList("Events without a target", actor.solo, eventName);
    recordList("Claims made", actor.claimsMade, claimName, "claims");
    recordList("Claims about " + actor.label, actor.claimsAbout, claimName, "claims");
  }

  // a titled list of records, each named by name(record), with its sentence and citation
  function recordList(title, list, name, className) {
    if (!list.length) return;
    details.appendChild(el("h3", title + " (" + list.length + ")"));
    const ul = el("ul", null, className);
    for (const record of list) {
      const item = el("li");
      item.appendChild(el("strong", name(record)));
      item.appendChild(el("span", " " + record.sentence));
      item.appendChild(el("span", citation(record), "source"));
      ul.appendChild(item);
    }
    details.appendChild(ul);
  }

  function showEvent(j) {
    const info = events[j];
    clear(details);
    const heading = el("h2", null, "title");
    heading.appendChild(document.createTextNode(actors[info.source].label + " → "));
    heading.appendChild(el("span", eventName(info), info.modality === "negated" ? "negated" : null));
    heading.appendChild(document.createTextNode(" → " + actors[info.target].label));
    details.appendChild(heading);
    details.appendChild(el("p", [info.quadClass, info.modality, info.reports + " report" + (info.reports === 1 ? "" : "s"),
      "confidence " + info.confidence.toFixed(2)].join(" · ")));
    for (const cluster of info.clusters) details.appendChild(el("p", clusterLine(cluster), cluster.disputed ? "cluster disputed" : "cluster"));
    const links = el("p");
    links.appendChild(actorLink(info.source));
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(actorLink(info.target));
    details.appendChild(links);
    details.appendChild(el("h3", "Evidence"));
    details.appendChild(evidenceList(info.evidence, null));
  }

  function focusActor(i) {
    if (!shownNode[i]) return;
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showActor(i);
  }

  function showClaim(k) {
    const claim = claims[k];
    clear(details);
    details.appendChild(el("h2", claimName(claim), "title"));
    details.appendChild(el("p", "A claim: the act in the speaker's words, not reported by the article.", "hint"));
    details.appendChild(evidenceList([claim], null));
  }

  network.on("click", (params) => {
    if (params.nodes.length) showActor(params.nodes[0]);
    else if (params.edges.length && params.edges[0] >= events.length) showClaim(params.edges[0] - events.length);
    else if (params.edges.length) showEvent(params.edges[0]);
  });

  // ---- tooltip -----------------------------------------------------------------------------
  const tooltip = document.getElementById("tooltip");
  function showTooltip(lines, pointer) {
    clear(tooltip);
    lines.forEach((line, k) => tooltip.appendChild(el(k === 0 ? "strong" : "div", line)));
    const box = container.getBoundingClientRect();
    tooltip.style.left = Math.round(box.left + pointer.x + 14) + "px";
    tooltip.style.top = Math.round(box.top + pointer.y + 14) + "px";
    tooltip.hidden = false;
  }
  network.on("hoverNode", (params) => {
    const actor = actors[params.node];
    const lines = [actor.label, [actor.type, actor.country].filter(Boolean).join(" · ")];
    if (actor.quotes.length) lines.push(actor.quotes.length + " quotation(s) — click to read");
    showTooltip(lines, params.pointer.DOM);
  });
  network.on("hoverEdge", (params) => {
    const info = events[params.edge];
    if (!info) return;
    const first = info.evidence[0] || {};
    const lines = [actors[info.source].label + " → " + eventName(info) + " → " + actors[info.target].label,
      info.reports + " report(s)"];
    if (info.clusters.length) lines.push(clusterLine(info.clusters[0]));
    if (first.sentence) lines.push("“" + first.sentence + "” " + citation(first));
    showTooltip(lines, params.pointer.DOM);
  });
  for (const name of ["blurNode", "blurEdge", "dragStart", "zoom"]) network.on(name, () => (tooltip.hidden = true));

  // ---- controls ----------------------------------------------------------------------------
  const eventTypeBoxes = data.eventTypes.map((type) =>
    checkbox(document.getElementById("filter-event-types"), type, type, true, (e) => {
      e.target.checked ? filters.eventTypes.add(type) : filters.eventTypes.delete(type);
      applyFilters();
    })
  );
  function setAllEventTypes(on) {
    for (const box of eventTypeBoxes) {
      box.checked = on;
      on ? filters.eventTypes.add(box.value) : filters.eventTypes.delete(box.value);
    }
    applyFilters();
  }
  document.getElementById("event-types-all").addEventListener("click", () => setAllEventTypes(true));
  document.getElementById("event-types-none").addEventListener("click", () => setAllEventTypes(false));
  for (const modality of ["asserted", "hypothetical", "negated"]) {
    checkbox(document.getElementById("filter-modalities"), modality, modality, true, (e) => {
      e.target.checked ? filters.modalities.add(modality) : filters.modalities.delete(modality);
      applyFilters();
    });
  }
  for (const type of data.actorTypes) {
    checkbox(document.getElementById("filter-actor-types"), type, type, true, (e) => {
      e.target.checked ? filters.actorTypes.add(type) : filters.actorTypes.delete(type);
      applyFilters();
    });
  }
  document.getElementById("hide-isolated").checked = filters.hideIsolated;
  document.getElementById("hide-isolated").addEventListener("change", (e) => {
    filters.hideIsolated = e.target.checked;
    applyFilters();
  });
  document.getElementById("show-claims").addEventListener("change", (e) => {
    filters.showClaims = e.target.checked;
    applyFilters();
  });
  const confidence = document.getElementById("min-confidence");
  const confidenceValue = document.getElementById("min-confidence-value");
  confidence.min = String(data.minConfidence);
  confidence.value = String(data.minConfidence);
  confidenceValue.textContent = data.minConfidence.toFixed(2);
  confidence.addEventListener("input", () => {
    filters.minConfidence = Number(confidence.value);
    confidenceValue.textContent = filters.minConfidence.toFixed(2);
    applyFilters();
  });
  const dateFrom = document.getElementById("date-from");
  const dateTo = document.getElementById("date-to");
  if (data.dateRange) {
    for (const input of [dateFrom, dateTo]) {
      input.min = data.dateRange[0];
      input.max = data.dateRange[1];
    }
  }
  dateFrom.addEventListener("change", () => {
    filters.from = dateFrom.value;
    applyFilters();
  });
  dateTo.addEventListener("change", () => {
    filters.to = dateTo.value;
    applyFilters();
  });

  // search by name or alias, case-insensitive substring; Enter jumps to the first match
  const search = document.getElementById("search");
  const results = document.getElementById("search-results");
  const searchable = actors.map((actor) => [actor.label].concat(actor.aliases).join("\n").toLowerCase());
  function matches() {
    const query = search.value.trim().toLowerCase();
    if (!query) return [];
    const found = [];
    for (let i = 0; i < actors.length && found.length < 20; i++) if (searchable[i].includes(query)) found.push(i);
    return found;
  }
  search.addEventListener("input", () => {
    clear(results);
    for (const i of matches()) {
      const item = el("li");
      item.appendChild(actorLink(i));
      if (!shownNode[i]) item.appendChild(el("span", " (filtered out)", "hint"));
      results.appendChild(item);
    }
  });
  search.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    const first = matches().find((i) => shownNode[i]);
    if (first !== undefined) focusActor(first);
  });

  if (data.centre !== null && data.centre !== undefined) {
    network.selectNodes([data.centre]);
    showActor(data.centre);
  }
})();
