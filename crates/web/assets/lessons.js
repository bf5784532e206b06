// erbij lessons: the board follows the votes live (server-sent events). Without this file
// the board refreshes itself every five seconds (<noscript> meta refresh).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var board = document.getElementById("board");
  if (!board || !board.dataset.events || !window.EventSource) {
    return;
  }
  var phase = board.dataset.phase;
  var position = Number(board.dataset.position);
  var source = new EventSource(board.dataset.events);
  source.addEventListener("state", function (event) {
    var state;
    try {
      state = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    var joined = document.getElementById("joined");
    var votes = document.getElementById("votes");
    if (joined) { joined.textContent = String(state.joined); }
    if (votes) { votes.textContent = String(state.votes); }
    board.dataset.joined = String(state.joined);
    board.dataset.votes = String(state.votes);
    // Another screen (or the API) moved the lesson on: show the new step.
    if (state.ended || state.phase !== phase || state.position + 1 !== position) {
      source.close();
      window.location.reload();
    }
  });
});
