// erbij lessons: the board follows the votes live (server-sent events), and a pupil's
// waiting page reloads once the lesson moved on. Without this file both refresh themselves
// every five seconds (<noscript> meta refresh).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var waiting = document.querySelector(".pupil[data-poll]");
  if (waiting && window.fetch && window.DOMParser) {
    // Re-read the page quietly; reload only when it would show something else, so the
    // screen never jumps while nothing happens.
    var timer = window.setInterval(function () {
      window.fetch(waiting.dataset.poll, { credentials: "same-origin" })
        // An ended session answers with the code page: reload to it. Too many requests: wait.
        .then(function (response) { return response.status === 429 ? "" : response.text(); })
        .then(function (html) {
          if (!html) { return; }
          var next = new DOMParser().parseFromString(html, "text/html").querySelector(".pupil");
          var state = next ? next.getAttribute("data-state") : null;
          if (state !== waiting.dataset.state) {
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () {});
    }, 3000);
  }
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
