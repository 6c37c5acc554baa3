/* future_waiter.pml -- a future's state word, its waiter bit and its done
 * callbacks (executor/include/tpx/detail/state_word.hpp, src/state_word.cpp,
 * detail/shared_state.hpp, src/shared_state.cpp), for spin.
 *
 * Processes: NWAIT threads in result() (StateWord::wait_until without a
 * deadline: a timed wait only returns earlier, so it adds no blocking), one
 * worker that runs the task (try_start, then complete + wake_if + run_callbacks),
 * one thread that calls cancel() (try_cancel + wake_if + run_callbacks), and one
 * thread that calls add_done_callback. Worker and canceller race for the
 * pending future.
 *
 * The futex: futex_wait(word, expected) compares and blocks in one atomic step,
 * or returns at once (EINTR / spurious); futex_wake(word, INT_MAX) releases every
 * thread blocked on the word. compare_exchange_weak may fail spuriously.
 *
 * Memory model: Promela is sequentially consistent; this model checks the
 * INTERLEAVINGS. The orderings (release on complete, acquire on the phase load,
 * relaxed waiter-bit CAS: it only has to precede the completer's exchange in the
 * word's modification order, which every RMW of one word guarantees) are argued
 * in state_word.hpp and shared_state.hpp.
 *
 * Checked: no lost wake-up (a waiter blocked forever is an invalid end state),
 * a waiter returns only when the future is done, the task runs at most once and
 * never after a successful cancel, exactly one of run/cancel wins, every done
 * callback fires exactly once and only once the future is done.
 *
 * Broken variants (check.sh verifies the checker FAILS each):
 *   BROKEN_START_CLEARS_WAITERS  try_start writes kRunning instead of cur | kRunning
 *   BROKEN_LOAD_STORE_COMPLETE   complete() is a load then a store, not one exchange
 *   BROKEN_WAIT_WITHOUT_BIT      the waiter parks without setting kWaiters
 */

#ifndef NWAIT
#define NWAIT 2
#endif

#define PENDING   0
#define RUNNING   1
#define FINISHED  2
#define CANCELLED 3
#define PHASE     3
#define WAITERS   4

#define CLOSED    128   /* callbacks_ == closed(): the list was taken by the completer */
#define NCB       2     /* done callbacks: one added before anything, one racing */

byte word = PENDING;
bool blocked[NWAIT];

byte cb = 0;            /* callbacks_: a set of pushed callback ids (bit i), or CLOSED */
byte fired[NCB];        /* ghost: times callback i ran */
byte ran = 0;           /* ghost: times the task body ran */
bool cancel_won = false;
byte finished_threads = 0;

inline futex_wait(me, expected) {
  atomic {
    if
    :: word == expected -> blocked[me] = true
    :: word == expected -> skip        /* EINTR / spurious return */
    :: else -> skip                    /* EAGAIN */
    fi
  }
  (!blocked[me])
}

inline futex_wake_all() {
  atomic { i = 0; do :: i < NWAIT -> blocked[i] = false; i++ :: else -> break od; i = 0 }
}

inline fire(id) {
  atomic {
    assert((word & PHASE) >= FINISHED);   /* a callback sees a done future */
    fired[id]++;
    assert(fired[id] == 1)
  }
}

/* StateBase::run_callbacks: exchange in `closed`, fire the detached list */
inline run_callbacks() {
  atomic { list = cb; cb = CLOSED }
  assert(list != CLOSED);                  /* only one completer ever takes the list */
  i = 0;
  do
  :: i < NCB ->
     if
     :: (list & (1 << i)) != 0 -> fire(i)
     :: else -> skip
     fi;
     i++
  :: else -> break
  od;
  i = 0; list = 0
}

/* StateBase::add_callback: fire at once when the state is already done (even
 * before the completer took the list), else push by CAS, or fire at once when
 * closed. Without the done() test, a callback added after result() returned
 * could still be pushed and run later on the completer (CI saw it). */
inline add_callback(id) {
#ifndef BROKEN_NO_DONE_CHECK
  if
  :: (word & PHASE) >= FINISHED -> fire(id); goto added   /* done() (acquire) */
  :: else -> skip
  fi;
#endif
  head = cb;                               /* acquire */
  do
  :: head == CLOSED -> fire(id); break
  :: head != CLOSED ->
     atomic {
       if
       :: cb == head -> cb = head | (1 << id); ok = true
       :: else -> head = cb; ok = false   /* CAS failure reloads head (acquire) */
       fi
     }
     if
     :: ok -> break
     :: else -> skip
     fi
  od;
added:
  head = 0; ok = false
}

/* StateWord::wake_if */
inline wake_if(old) {
  if
  :: (old & WAITERS) != 0 -> futex_wake_all()
  :: else -> skip
  fi
}

proctype Waiter(byte me) {
  byte cur = 0;
  bool ok = false;
loop:
  cur = word;                              /* acquire */
  if
  :: (cur & PHASE) >= FINISHED -> goto done
  :: else -> skip
  fi;
#ifndef BROKEN_WAIT_WITHOUT_BIT
  if
  :: (cur & WAITERS) == 0 ->
     atomic {                              /* compare_exchange_weak(cur, cur | kWaiters, relaxed) */
       if
       :: word == cur -> word = cur | WAITERS; ok = true
       :: word == cur -> ok = false        /* weak CAS: spurious failure */
       :: else -> ok = false
       fi
     }
     if
     :: !ok -> goto loop
     :: else -> cur = cur | WAITERS; ok = false
     fi
  :: else -> skip
  fi;
#endif
  futex_wait(me, cur);
  goto loop;
done:
  assert((word & PHASE) >= FINISHED);
  finished_threads++
}

proctype Worker() {
  byte cur = 0;
  byte old = 0;
  bool ok = false;
  byte list = 0;
  byte i = 0;
  /* StateWord::try_start */
start:
  cur = word;                              /* relaxed first guess */
  if
  :: (cur & PHASE) != PENDING -> goto not_started
  :: else -> skip
  fi;
  atomic {
    if
#ifndef BROKEN_START_CLEARS_WAITERS
    :: word == cur -> word = cur | RUNNING; ok = true
#else
    :: word == cur -> word = RUNNING; ok = true
#endif
    :: word == cur -> ok = false           /* weak CAS: spurious failure */
    :: else -> ok = false
    fi
  }
  if
  :: !ok -> goto start
  :: else -> ok = false
  fi;
  atomic { assert(!cancel_won); ran++; assert(ran == 1) }   /* the task body */
  /* finish(): complete(kFinished) is one exchange, then wake_if, then callbacks */
#ifndef BROKEN_LOAD_STORE_COMPLETE
  atomic { old = word; word = FINISHED }
#else
  old = word;
  word = FINISHED;
#endif
  wake_if(old);
  run_callbacks();
not_started:
  finished_threads++
}

proctype Canceller() {
  byte cur = 0;
  byte old = 0;
  bool ok = false;
  byte list = 0;
  byte i = 0;
  /* StateWord::try_cancel */
again:
  cur = word;
  if
  :: (cur & PHASE) != PENDING -> goto lost   /* cancel() returns (phase == kCancelled) */
  :: else -> skip
  fi;
  atomic {
    if
    :: word == cur -> word = CANCELLED; ok = true
    :: word == cur -> ok = false
    :: else -> ok = false
    fi
  }
  if
  :: !ok -> goto again
  :: else -> skip
  fi;
  old = cur;
  cancel_won = true;
  assert(ran == 0);                         /* cancelled before it ever ran */
  wake_if(old);
  run_callbacks();
lost:
  finished_threads++
}

proctype Adder() {
  byte head = 0;
  bool ok = false;
  bool saw_done = false;
  saw_done = ((word & PHASE) >= FINISHED);  /* e.g. result() returned */
  add_callback(1);
  /* Python's contract: added to a done future, the callback has run on return */
  assert(!saw_done || fired[1] == 1);
  finished_threads++
}

init {
  byte head = 0;
  bool ok = false;
  byte i = 0;
  atomic {
    add_callback(0);                        /* a callback added before anything else ran */
    i = 0;
    do
    :: i < NWAIT -> run Waiter(i); i++
    :: else -> break
    od;
    i = 0;
    run Worker();
    run Canceller();
    run Adder()
  }
  (finished_threads == NWAIT + 3);
  /* exactly one of run / cancel won; every callback fired exactly once */
  assert((ran == 1) != cancel_won);
  assert(((word & PHASE) == FINISHED) == (ran == 1));
  assert(((word & PHASE) == CANCELLED) == cancel_won);
  assert(fired[0] == 1 && fired[1] == 1)
}
