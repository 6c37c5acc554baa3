/* claim.pml -- claiming a queued task that its own worker waits for
 * (executor/include/tpx/detail/shared_state.hpp: StateBase::wait_until ->
 * try_run_inline; task_state.hpp: run_queued / run_inline_if_pending;
 * state_word.hpp + src/state_word.cpp: try_start, complete, wake_if,
 * wait_until; work_deque.hpp: pop_if_newest / steal), for spin.
 *
 * Scenario: worker W ran a parent task that submitted task T onto W's own
 * deque and now waits on T's future (result()). Concurrently:
 *   O  an outside thread (Options::caller_runs) or another worker of the pool,
 *      also waiting on T: try_run_inline -> run_inline_if_pending -> try_start;
 *      T is still on W's deque while O claims and runs it;
 *   S  a thief stealing from W's deque: steal(), then run_queued() (which runs
 *      T only if its own try_start wins), then drops the queue's reference.
 * W: try_run_inline -> Pool::run_inline: pop_if_newest takes T back off its
 * deque; then it must claim T with try_start (kPending -> kRunning). The fixed
 * code runs T only when that claim succeeds and reports "done" only if it ran
 * it; otherwise it falls through to StateWord::wait_until (set kWaiters by CAS,
 * futex_wait on the word). Running T = write the value, then complete: one
 * exchange kRunning -> kFinished that clears kWaiters, then FUTEX_WAKE if the
 * old word had kWaiters. (On a broken pool W claims with fail_if_pending
 * instead: the same try_start, an error written instead of a value, the same
 * finish(), so the same model.) Only waits without a deadline are modelled: a
 * timed wait claims only before its deadline and otherwise only returns earlier.
 *
 * The deque is atomic here (one element, T): Chase-Lev itself is work_deque.hpp's
 * (the paper's algorithm, stress-tested under TSAN); what matters is that
 * pop_if_newest and steal hand T to at most one of W and S. The futex:
 * futex_wait(word, expected) compares and blocks in one atomic step, or returns
 * at once (EINTR, or the helper's nap timing out); a wake releases every
 * blocked thread. compare_exchange_weak may fail spuriously. Promela is
 * sequentially consistent: this checks the interleavings, not the orderings.
 *
 * Checked: when W's (and O's) wait returns, T's value has been written and the
 * phase is kFinished; the body runs exactly once; the queue's reference to T is
 * dropped exactly once (by W after popping it back, or by the thief); no lost
 * wake-up (a thread blocked forever is an invalid end state).
 *
 * Broken variant (check.sh verifies the checker FAILS it):
 *   BROKEN_CLAIM_RETURNS_TRUE  after popping T back, W calls run_queued() (which
 *       does nothing when O already claimed T) and reports done regardless: W's
 *       result() then returns before O wrote the value.
 */

#define PENDING   0
#define RUNNING   1
#define FINISHED  2
#define PHASE     3
#define WAITERS   4

#define W_ID 0
#define O_ID 1
#define NBLOCK 2          /* threads that may park on the word: W and O */

byte word = PENDING;
bool blocked[NBLOCK];
bool onq = true;          /* T sits on W's deque (pushed by W's parent task) */
bool value = false;       /* T's value (or error) was written */
byte ran = 0;             /* ghost: times T's body ran */
byte queue_refs = 1;      /* the deque's reference to T, dropped once by whoever took T off */
byte finished_threads = 0;

inline futex_wait(me, expected) {
  atomic {
    if
    :: word == expected -> blocked[me] = true
    :: word == expected -> skip        /* EINTR, spurious, or the helper's nap elapsed */
    :: else -> skip                    /* EAGAIN: the word changed */
    fi
  }
  (!blocked[me])
}

/* StateWord::try_start: kPending -> kRunning by a weak CAS loop; keeps kWaiters */
inline try_start(ok) {
  ok = false;
  do
  :: cur = word;                       /* relaxed first guess / reloaded on failure */
     if
     :: (cur & PHASE) != PENDING -> break
     :: else -> skip
     fi;
     atomic {
       if
       :: word == cur -> word = cur | RUNNING; ok = true
       :: word == cur -> skip          /* weak CAS: spurious failure */
       :: else -> skip
       fi
     }
     if
     :: ok -> break
     :: else -> skip
     fi
  od;
  cur = 0
}

/* the task body, then StateBase::finish(): complete(kFinished) + wake_if */
inline run_claimed() {
  atomic { ran++; assert(ran == 1) }
  value = true;                        /* emplace_value */
  atomic { old = word; word = FINISHED }   /* complete: one exchange, clears kWaiters */
  if
  :: (old & WAITERS) != 0 ->
     atomic { blocked[W_ID] = false; blocked[O_ID] = false }   /* futex_wake(INT_MAX) */
  :: else -> skip
  fi;
  old = 0
}

/* TaskState::run_inline_if_pending: claim, then run; false when not pending */
inline run_inline_if_pending(did) {
  try_start(did);
  if
  :: did -> run_claimed()
  :: else -> skip
  fi
}

/* StateWord::wait_until(kNoDeadline): the spin phases only return earlier, so
 * only the parking loop is modelled (a helper's run_one_queued finds nothing:
 * T is no longer on the deque once it was popped or stolen). */
inline word_wait(me) {
  do
  :: cur = word;                       /* acquire */
     if
     :: (cur & PHASE) >= FINISHED -> break
     :: else -> skip
     fi;
     if
     :: (cur & WAITERS) == 0 ->
        atomic {                       /* compare_exchange_weak(cur, cur | kWaiters, relaxed) */
          if
          :: word == cur -> word = cur | WAITERS; ok = true
          :: word == cur -> ok = false
          :: else -> ok = false
          fi
        };
        if
        :: ok -> cur = cur | WAITERS; ok = false; futex_wait(me, cur)
        :: else -> skip                /* continue */
        fi
     :: else -> futex_wait(me, cur)
     fi
  od;
  cur = 0
}

/* What result() relies on when the wait returns */
inline returned() {
  assert(value && (word & PHASE) == FINISHED)
}

proctype W() {
  byte cur = 0;
  byte old = 0;
  bool ok = false;
  bool popped = false;
  bool did = false;
  /* StateBase::wait_until -> try_run_inline (owner_ == current_helper()) */
  if
  :: (word & PHASE) >= FINISHED -> goto wait    /* done(): try_run_inline returns false, the wait returns at once */
  :: else -> skip
  fi;
  atomic {                             /* run_inline -> pop_if_newest(T) */
    if
    :: onq -> onq = false; popped = true
    :: else -> popped = false          /* stolen */
    fi
  }
  if
  :: popped ->
#ifdef BROKEN_CLAIM_RETURNS_TRUE
     run_inline_if_pending(did);       /* run_queued(): nothing when O already claimed T */
     queue_refs--;                     /* release(): the deque's reference, now ours */
     goto done                         /* return true, claimed or not */
#else
     run_inline_if_pending(did);       /* our own claim */
     queue_refs--;                     /* release(): the deque's reference, now ours */
     if
     :: did -> goto done               /* we ran it: done */
     :: else -> goto wait              /* another thread claimed it: wait on the word */
     fi
#endif
  :: else ->
     run_inline_if_pending(did);
     if
     :: did -> goto done
     :: else -> goto wait
     fi
  fi;
wait:
  word_wait(W_ID);
done:
  returned();
  finished_threads++
}

/* An outside thread with caller_runs (or another worker of the pool) in result() */
proctype O() {
  byte cur = 0;
  byte old = 0;
  bool ok = false;
  bool did = false;
  if
  :: (word & PHASE) >= FINISHED -> goto wait
  :: else -> skip
  fi;
  run_inline_if_pending(did);          /* T is still on W's deque: claim it from here */
  if
  :: did -> goto done
  :: else -> skip
  fi;
wait:
  word_wait(O_ID);
done:
  returned();
  finished_threads++
}

/* A thief: steal() from W's deque, then run_queued() and drop the queue's reference */
proctype S() {
  byte cur = 0;
  byte old = 0;
  bool got = false;
  bool did = false;
  atomic {
    if
    :: onq -> onq = false; got = true
    :: else -> skip
    fi
  }
  if
  :: got ->
     run_inline_if_pending(did);       /* run_queued(): a claimed husk is just dropped */
     queue_refs--
  :: else -> skip
  fi;
  finished_threads++
}

init {
  atomic {
    run W();
    run O();
    run S()
  }
  (finished_threads == 3);
  assert(ran == 1 && value && (word & PHASE) == FINISHED);
  assert(!onq && queue_refs == 0)      /* the queue's reference dropped exactly once */
}
