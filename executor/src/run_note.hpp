// run_note.hpp (internal) — what a task just run on this thread says about
// itself, for stats(): the pool cannot see inside a type-erased Task, so the
// paths that know set this thread's note while it runs (a post's body threw:
// report_posted_task_error; a deadline had passed: deadline_exceeded_at_start;
// a submit's entry found its task not pending: QueuedState). The pool clears
// the note before it runs a task and reads it after (saving the outer note
// around a nested run, when a waiting task helps).
#pragma once

namespace tpx::detail {

struct RunNote {
  bool failed = false;     // it threw (a post), or its future holds an exception
  bool expired = false;    // its deadline had passed: it did not run
  bool cancelled = false;  // a submit cancelled while queued
  bool helped = false;     // a submit claimed by a thread that waited for it (failed: how it ended)
};

// This thread's note.
RunNote& run_note() noexcept;

}  // namespace tpx::detail
