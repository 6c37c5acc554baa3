/* worker_parking.pml -- the pool's admission gate and worker parking protocol
 * (executor/src/pool.hpp, executor/src/pool.cpp), for spin.
 *
 * What is modelled, one Promela statement per atomic operation of the C++:
 *   gate_      a count of submitters inside enqueue() plus the kClosed flag,
 *              updated together (fetch_add / fetch_sub / fetch_or);
 *   epoch_     the futex word of parked workers;
 *   sleepers_, searching_  the hint counters;
 *   stopping_  set by shutdown() after the gate is drained;
 *   the queue  moodycamel::ConcurrentQueue as an array with atomic
 *              enqueue / try_dequeue. ASSUMPTION: try_dequeue finds an element
 *              whose enqueue happens-before it (moodycamel guarantees this per
 *              producer; it is what the gate's release/acquire pair provides).
 *              The model's try_dequeue is exact, so it never fails spuriously
 *              on a non-empty queue; a queue that could would need its own proof.
 *   the futex  futex_wait(w, e) compares and blocks in one atomic step (as the
 *              kernel does under its hash-bucket lock); it may also return at
 *              once (EINTR / spurious). futex_wake(w, 1) releases one blocked
 *              waiter chosen by the model checker, futex_wake(w, INT_MAX) all.
 *
 * Memory model: Promela is sequentially consistent. This model checks the
 * INTERLEAVINGS of the protocol (no lost wake-up, no task lost or run twice,
 * clean shutdown); it does not check the C++ memory orderings. Those are
 * argued in pool.hpp's header comment: the two gate_ RMWs (the submitter's
 * fetch_sub and the worker's fetch_add(0), both acq_rel) are totally ordered
 * and give the Dekker pair the store->load ordering that SC gives for free
 * here. The worker's gate RMW is kept below as a step so the interleavings
 * around it are the real ones.
 *
 * Configurations (spin -D...):
 *   default          1 submitter submits TASKS tasks, waits until all ran
 *                    (result() on each), then shutdown(wait=true). A lost
 *                    wake-up leaves the submitter blocked with every worker
 *                    parked: an invalid end state.
 *   RACE_SHUTDOWN    a second thread calls shutdown(wait=true, cancel_futures
 *                    chosen both ways) while the submitter submits: each task
 *                    is rejected (ShutdownError), run once, or cancelled once;
 *                    nothing runs after shutdown(true) returned.
 *                    The worker reads stopping_ (acquire) BEFORE its re-check
 *                    and exits only if that re-check is empty: seeing
 *                    stopping_ means every enqueue happened-before the re-check.
 *                    (The first pool.cpp read it after the re-check; this model
 *                    found the stranded task: BROKEN_STOP_AFTER_RECHECK.)
 *   LOCAL            the submitter is a worker running a task that submits
 *                    to its own pool: each submit is push_local (no gate
 *                    count): pushing = 1 (seq_cst store); read the gate's
 *                    flags (seq_cst load); if closed, pushing = 0 and refuse
 *                    (nothing was pushed); else deque push;
 *                    pushing = 0 (release); the same wake test as submit()
 *                    (seq_cst loads). A parking worker reads `pushing`
 *                    before its re-check and searches again while it is 1.
 *                    (Spin interleaves: this model is sequentially
 *                    consistent, so it checks the protocol's logic; that the
 *                    store of pushing = 1 and the parker's fence order the
 *                    rest without a fence after the push is argued in pool.hpp.)
 *                    The other workers steal. shutdown() closes the gate
 *                    (seq_cst fetch_or), waits for the submitter count to
 *                    drain, then until `pushing` is 0 (seq_cst loads,
 *                    wait_for_local_pushes), then drains.
 *                    With RACE_SHUTDOWN the submitting worker then drains its
 *                    own deque (LIFO), as a worker does when its task
 *                    returns, and shutdown()'s join waits for it too. The
 *                    deque is atomic here: the Chase-Lev algorithm itself is
 *                    the paper's (work_deque.hpp), and is covered by a stress
 *                    test under TSAN.
 *                    Checked once shutdown(wait=true) has returned: every
 *                    accepted task ran exactly once or was cancelled by the
 *                    drain, nothing is left in the queue or the deque
 *                    (stranded), and with cancel_futures no task whose
 *                    submit saw the gate open is taken after the drain.
 *   STRICT_DRAIN     (LOCAL RACE_SHUTDOWN) also: no ACCEPTED task at all is
 *                    taken after the drain. Holds for the current protocol
 *                    (the flags are read before the push, under `pushing`);
 *                    failed for b34b600's push-then-take-back protocol
 *                    (BROKEN_TAKE_BACK).
 *   SPURIOUS         the queue's try_dequeue may fail once on a non-empty
 *                    queue (moodycamel is only eventually consistent). The
 *                    worker's re-check trusts the queue's size: finding
 *                    nothing while the size is non-zero, it searches again
 *                    instead of parking or exiting ("Parking trusts the
 *                    queue's size", pool.hpp).
 * Broken variants (check.sh verifies the checker FAILS each):
 *   BROKEN_NO_RECHECK  the worker does not re-check the queue after announcing sleep
 *   BROKEN_LATE_EPOCH  the worker reads epoch_ after its re-check, not before announcing
 *   BROKEN_NO_WAKE     the submitter never wakes a sleeper
 *   BROKEN_STOP_AFTER_RECHECK  the worker reads stopping_ after its re-check
 *                      (the first pool.cpp): with RACE_SHUTDOWN a task is stranded
 *   BROKEN_LOCAL_NO_WAKE  (LOCAL) a push onto the deque wakes nobody
 *   BROKEN_FLAGS_BEFORE_PUSH  (LOCAL) the old push_local: the gate's flags are
 *                      read BEFORE the push and shutdown() does not wait for
 *                      `pushing`: with RACE_SHUTDOWN and cancel_futures a child
 *                      accepted on an open gate lands after the drain and runs
 *   BROKEN_TAKE_BACK  (LOCAL) b34b600's push_local: pushing = 1; push; fence;
 *                      read the flags; if closed, take the child back with
 *                      pop_if_newest. A push that starts after
 *                      wait_for_local_pushes read pushing == 0 sees the gate
 *                      closed, but a thief steals the child before
 *                      pop_if_newest: the push stands and the child runs after
 *                      shutdown(cancel_futures) drained (STRICT_DRAIN catches it)
 *   BROKEN_TRUST_DEQUEUE  (implies SPURIOUS) the re-check trusts a failed
 *                      try_dequeue and parks anyway: a task stays queued with
 *                      every worker parked
 */
#ifdef BROKEN_TRUST_DEQUEUE
#define SPURIOUS
#endif

#ifndef TASKS
#define TASKS 3
#endif
#define NW 2            /* workers; futex_wake_one below is written for 2 */

/* ---- shared state (the C++ names, without trailing underscores) ---- */
byte gate_count = 0;    /* gate_ & kCountMask */
bool gate_closed = false; /* gate_ & kClosed */
byte epoch = 0;
byte sleepers = 0;
byte searching = 0;
bool stopping = false;

byte q[TASKS];          /* the queue: q[qhead..qtail) */
byte qhead = 0;
byte qtail = 0;

byte dq[TASKS];         /* LOCAL: the submitting worker's deque, dq[dtop..dbot) */
byte dtop = 0;
byte dbot = 0;
#define WORK_QUEUED (qhead < qtail || dtop < dbot)

bool pushing = false;   /* LOCAL: the submitting worker's Worker::pushing */
#ifdef SPURIOUS
byte spurious = 1;      /* try_dequeue may fail this many times on a non-empty queue */
#endif

bool blocked[NW];       /* futex: worker i is asleep in futex_wait(epoch_) */

/* ---- ghost state for the checks ---- */
byte ran[TASKS];        /* times task t ran */
byte cancelled[TASKS];  /* times task t was cancelled by shutdown(cancel_futures) */
bool accepted[TASKS];   /* submit(t) passed the gate */
bool opened[TASKS];     /* submit(t) saw the gate open (push_local: read no kClosed) */
bool late[TASKS];       /* task t was taken after shutdown(cancel_futures) drained */
bool drained = false;   /* shutdown(cancel_futures) finished its drain */
byte ran_count = 0;
byte exited = 0;        /* workers that left worker_main */
bool shutdown_returned = false;
bool submitter_done = false;

inline enqueue(t) {
  atomic { q[qtail] = t; qtail++ }
}

/* The queue, then a steal from the deque (the oldest element) */
inline try_take(found, t) {
  atomic {
    if
    :: qhead < qtail -> t = q[qhead]; qhead++; found = true
#ifdef SPURIOUS
    :: qhead < qtail && spurious > 0 -> spurious--; found = false   /* try_dequeue fails spuriously */
#endif
    :: qhead >= qtail && dtop < dbot -> t = dq[dtop]; dtop++; found = true
    :: else -> found = false
    fi;
    if
    :: found -> late[t] = drained
    :: else -> skip
    fi
  }
}

inline futex_wake_one() {
  atomic {
    if
    :: blocked[0] -> blocked[0] = false
    :: blocked[1] -> blocked[1] = false
    :: else -> skip
    fi
  }
}

inline wake_one() {
  epoch++;              /* epoch_.fetch_add(1, memory_order_release) */
  futex_wake_one()
}

inline wake_all() {
  epoch++;
  atomic { blocked[0] = false; blocked[1] = false }
}

inline run_task(t) {
  atomic {
    assert(!shutdown_returned);   /* nothing runs after shutdown(true) returned */
    ran[t]++;
    assert(ran[t] == 1);          /* every task runs at most once */
    assert(cancelled[t] == 0);    /* and never after it was cancelled */
    ran_count++
  }
}

proctype Worker(byte me) {
  bool found = false;
  bool stop = false;
  bool hid = false;             /* the re-check found nothing but the queue's size is non-zero */
  byte task = 0;
  byte e = 0;
  byte s = 0;
  byte sl = 0;

  searching++;                  /* a worker starts searching (relaxed hint) */
  goto search;
busy:
  /* busy: after running a task, a worker that finds more runs it without touching any counter */
  try_take(found, task);
  if
  :: found -> run_task(task); task = 0; found = false; goto busy
  :: else -> searching++        /* the queue looked empty: search (relaxed hint) */
  fi;
search:
  /* spin: zero or more further tries, until found, stopping_ or idle_spin elapsed */
  do
  :: found -> break
  :: !found -> try_take(found, task)
  :: !found -> break
  od;
  if
  :: found ->
     /* found while searching: stop searching; the last searcher wakes a sleeper when more is queued */
     atomic { s = searching; searching-- }
     if
     :: s == 1 ->
        sl = sleepers;
        if
        :: sl != 0 && WORK_QUEUED -> wake_one()
        :: else -> skip
        fi
     :: else -> skip
     fi;
     s = 0; sl = 0;
     run_task(task);
     task = 0; found = false;
     goto busy
  :: else -> skip
  fi;
  /* park */
#ifndef BROKEN_LATE_EPOCH
  e = epoch;                    /* acquire */
#endif
  sleepers++;
  searching--;
  gate_count = gate_count;      /* gate_.fetch_add(0, memory_order_acq_rel): the worker's half of the Dekker pair */
#ifndef BROKEN_STOP_AFTER_RECHECK
  stop = stopping;              /* acquire: every enqueue happened-before, so the re-check sees it */
#endif
#ifdef LOCAL
  hid = pushing;                /* any_local_push_in_flight() (acquire), read BEFORE the re-check */
#endif
#ifndef BROKEN_NO_RECHECK
  try_take(found, task);        /* the re-check */
#endif
#ifdef LOCAL
  hid = (!found && hid);        /* a push in flight: search again rather than park or exit */
  stop = (stop && !hid);
#endif
#ifndef BROKEN_STOP_AFTER_RECHECK
  stop = (!found && stop);
#else
  stop = (!found && stopping);  /* the bug: stopping_ read AFTER the re-check */
#endif
#if defined(SPURIOUS) && !defined(BROKEN_TRUST_DEQUEUE)
  hid = hid || (!found && qhead < qtail);      /* queue_holds_tasks(): size_approx() != 0 */
  stop = (stop && !hid);
#endif
#ifdef BROKEN_LATE_EPOCH
  e = epoch;
#endif
  if
  :: !found && !stop && !hid ->
     /* futex_wait(epoch_, e): compare and sleep atomically, or return at once (EINTR) */
     atomic {
       if
       :: epoch == e -> blocked[me] = true
       :: epoch == e -> skip
       :: else -> skip
       fi
     }
     (!blocked[me])
  :: else -> skip
  fi;
  e = 0;                        /* dead from here: reset, so the state space stays small */
  sleepers--;
  if
  :: stop -> goto out
  :: found ->
     /* found on the re-check: hand the search on when nobody searches and more is queued */
     sl = sleepers;
     if
     :: searching == 0 && sl != 0 && WORK_QUEUED -> wake_one()
     :: else -> skip
     fi;
     sl = 0;
     run_task(task); task = 0; found = false;
     goto busy
  :: else -> hid = false; searching++; goto search   /* woken (or hidden work): search again */
  fi;
out:
  exited++
}

/* ThreadPoolExecutor::shutdown(wait = true, cancel_futures) */
inline shutdown(cancel_futures) {
  gate_closed = true;           /* gate_.fetch_or(kClosed, memory_order_seq_cst) */
  (gate_count == 0);            /* spin until the submitters inside have left */
#if defined(LOCAL) && !defined(BROKEN_FLAGS_BEFORE_PUSH)
  /* wait_for_local_pushes(): pushing.load(std::memory_order_seq_cst) until 0 (the gate RMW above is seq_cst) */
  (!pushing);
#endif
  if
  :: cancel_futures ->
     do
     :: try_take(found, task);
        if
        :: found -> cancelled[task]++; assert(ran[task] == 0 && cancelled[task] == 1)
        :: else -> break
        fi
     od;
     drained = true
  :: else -> skip
  fi;
  stopping = true;              /* release */
  wake_all();
  (exited == NW);               /* join */
#ifdef LOCAL
  (submitter_done);             /* join the submitting worker too */
#endif
  shutdown_returned = true
}

inline check_accounting() {
  atomic {
    i = 0;
    do
    :: i < TASKS ->
       assert(accepted[i] || (ran[i] == 0 && cancelled[i] == 0));
       assert(!accepted[i] || ran[i] + cancelled[i] == 1);   /* exactly once */
       /* cancel_futures: a task submitted on an open gate was cancelled or started before the drain */
       assert(!(accepted[i] && opened[i] && late[i]));
#ifdef STRICT_DRAIN
       assert(!(accepted[i] && late[i]));
#endif
       i++
    :: else -> break
    od;
    assert(qhead == qtail);     /* nothing left queued */
    assert(dtop == dbot)
  }
}

proctype Submitter() {
  byte t = 0;
  bool closed_seen = false;
  byte s = 0;
  byte sl = 0;
  bool found = false;
  bool took_back = false;
  byte task = 0;
  byte i = 0;

  do
#ifdef LOCAL
  :: t < TASKS ->
#ifdef BROKEN_FLAGS_BEFORE_PUSH
     /* the old push_local: the flags read first, the push after, no `pushing` */
     closed_seen = gate_closed;
     if
     :: closed_seen -> took_back = true   /* declined: submit() throws ShutdownError */
     :: else ->
        atomic { dq[dbot] = t; dbot++; accepted[t] = true; opened[t] = true }
        took_back = false
     fi;
#elif defined(BROKEN_TAKE_BACK)
     /* the push_local of b34b600: push, fence, read the flags, take the child
      * back with pop_if_newest when closed -- a thief can steal it in between,
      * and then the push stands although the gate was closed (and drained) */
     pushing = true;             /* old code: pushing.store(1, std::memory_order_relaxed), ordered by the fence */
     atomic { dq[dbot] = t; dbot++; accepted[t] = true }   /* deque push: bottom_.store(b + 1, std::memory_order_release) */
     /* fence(seq_cst): sequential consistency gives it here */
     closed_seen = gate_closed;  /* old code: gate_.load(std::memory_order_relaxed): the flags, after the fence */
     atomic {
       if
       :: closed_seen && dbot > dtop && dq[dbot - 1] == t ->
          dbot--; accepted[t] = false; took_back = true    /* pop_if_newest: refused */
       :: else -> opened[t] = !closed_seen; took_back = false  /* open, or a thief stole it: the push stands */
       fi
     }
     pushing = false;            /* pushing.store(0, release) */
#else
     /* push_local: a seq_cst Dekker pair with shutdown (its gate fetch_or,
      * then its loads of pushing): either shutdown sees pushing == 1 and
      * waits for the push, or this load sees kClosed and nothing is pushed */
     pushing = true;             /* pushing.store(1, seq_cst) */
     closed_seen = gate_closed;  /* gate_.load(seq_cst): the flags */
     if
     :: closed_seen ->
        pushing = false;         /* refused before anything is pushed: ShutdownError */
        took_back = true
     :: else ->
        atomic { dq[dbot] = t; dbot++; accepted[t] = true; opened[t] = true }   /* deque push */
        pushing = false;         /* pushing.store(0, release); no fence: the parker reads pushing */
        took_back = false
     fi;
#endif
     if
     :: took_back -> skip
     :: else ->
#ifndef BROKEN_LOCAL_NO_WAKE
        s = searching;          /* wake_if_nobody_searches() */
        sl = sleepers;
        if
        :: s == 0 && sl != 0 -> wake_one()
        :: else -> skip
        fi;
        s = 0; sl = 0
#endif
     fi;
     took_back = false; closed_seen = false;
     t++
#else
  :: t < TASKS ->
     atomic { closed_seen = gate_closed; gate_count++ }   /* gate_.fetch_add(1, memory_order_acquire) */
     if
     :: closed_seen -> gate_count--                       /* throws ShutdownError */
     :: else ->
        accepted[t] = true; opened[t] = true;
        enqueue(t);
        gate_count--;           /* gate_.fetch_sub(1, memory_order_acq_rel) */
#ifndef BROKEN_NO_WAKE
        s = searching;          /* wake_if_nobody_searches(): two relaxed loads */
        sl = sleepers;
        if
        :: s == 0 && sl != 0 -> wake_one()
        :: else -> skip
        fi;
        s = 0; sl = 0
#endif
     fi;
     t++
#endif
  :: else -> break
  od;
#if defined(LOCAL) && defined(RACE_SHUTDOWN)
  /* the task returns; the worker takes its own deque's work first (pop: the newest) */
  do
  :: atomic { dtop < dbot -> dbot--; task = dq[dbot]; late[task] = drained }; run_task(task); task = 0
  :: else -> break
  od;
#endif
  submitter_done = true;
#ifndef RACE_SHUTDOWN
  (ran_count == TASKS);         /* result() on every future: blocks forever if a wake-up was lost */
  shutdown(false);
  check_accounting()
#endif
}

#ifdef RACE_SHUTDOWN
proctype Shutdowner() {
  bool found = false;
  byte task = 0;
  byte i = 0;
  bool cancel_futures = false;
  if
  :: cancel_futures = true
  :: cancel_futures = false
  fi;
  shutdown(cancel_futures);
  (submitter_done);
  check_accounting()
}
#endif

init {
  atomic {
    run Worker(0);
    run Worker(1);
    run Submitter();
#ifdef RACE_SHUTDOWN
    run Shutdowner();
#endif
  }
}
