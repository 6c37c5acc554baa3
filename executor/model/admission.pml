/* admission.pml -- bounded admission (Options::max_queued, WhenFull::block):
 * executor/src/pool.hpp "Bounded admission", pool.cpp reserve / try_reserve /
 * release_room / wait_for_room / wake_blocked_submitters, for spin.
 *
 * NSUB submitters each submit TASKS tasks into a pool bounded at BOUND, one
 * worker takes them. A submitter reserves room before it enqueues:
 *   try_reserve: CAS loop: if queued == 0 || queued + 1 <= BOUND: queued += 1, reserved
 *   blocked:     blocked++ ; e = room ; if try_reserve: done ; else futex_wait(room, e) ; loop
 *                (blocked-- once it leaves)
 * The worker, after taking a task:
 *   release_room: queued -= 1 ; if blocked != 0: room++ ; FUTEX_WAKE one
 * futex_wait compares room with e and sleeps in one atomic step; a wake
 * releases one sleeper. With -DRACE_SHUTDOWN a third process closes the pool
 * (closed = true) and then bumps room and wakes every sleeper; a blocked
 * submitter that sees closed leaves (ShutdownError) instead of reserving.
 *
 * Checked: no lost wake-up (a submitter asleep forever, or the worker waiting
 * for a task that never comes, is an invalid end state); the queue never
 * holds more than BOUND tasks (the q == 0 rule admits an oversized batch
 * only into an empty queue; batches are 1 here); every task taken once.
 *
 * Promela is sequentially consistent: this checks the interleavings; the
 * seq_cst Dekker pair (blocked++ then queued's RMW, against queued's RMW then
 * the blocked load) is argued in pool.hpp.
 *
 * Broken variants (check.sh verifies the checker FAILS each):
 *   BROKEN_NO_RECHECK   the submitter sleeps after announcing without retrying
 *   BROKEN_LATE_EPOCH   the submitter reads room after its retry
 *   BROKEN_NO_WAKE      the releaser bumps room but wakes nobody
 *   BROKEN_NO_ANNOUNCE  the submitter never counts itself in blocked
 *   BROKEN_UNDO         try_reserve adds, then undoes (and wakes) when over
 *                       the bound, without the first version's cheap
 *                       pre-check: blocked submitters wake each other for as
 *                       long as the queue stays full (caught as room growing
 *                       without bound); see try_reserve
 */

#ifndef NSUB
#define NSUB 2
#endif
#ifndef TASKS
#define TASKS 2
#endif
#ifndef BOUND
#define BOUND 1
#endif

byte queued = 0;            /* queued_: reserved room (tasks queued or about to be) */
byte items = 0;             /* tasks actually in the queue */
byte blocked = 0;           /* blocked_ */
byte room = 0;              /* room_: the futex word (an epoch) */
bool sleeping[NSUB];        /* submitter i sleeps in futex_wait(room_, e) */
bool closed = false;        /* the gate's kClosed */
byte submitted = 0;         /* ghost: tasks enqueued */
byte taken = 0;             /* ghost: tasks the worker took */
byte left = 0;              /* ghost: submitters done (all submitted, or ShutdownError) */
bool worker_done = false;

inline wake_one() {
  if
  :: sleeping[0] -> sleeping[0] = false
#if NSUB > 1
  :: sleeping[1] -> sleeping[1] = false
#endif
  :: else -> skip
  fi
}

inline release_room() {
  d_step { queued = queued - 1 }
  if
  :: blocked != 0 ->
     assert(room < 255);  /* bounded: one bump per real release (BROKEN_UNDO loops) */
     room = room + 1;
#ifndef BROKEN_NO_WAKE
     atomic { wake_one() }
#endif
  :: else -> skip
  fi
}

/* reserved := try_reserve(): a CAS loop, modelled as one atomic check-and-add.
 * With -DBROKEN_UNDO: add, then undo (release_room) when over the bound (the
 * first version did this behind a relaxed pre-check that kept it rare); alone,
 * blocked submitters wake each other forever while the queue stays full. */
inline try_reserve(reserved, q) {
#ifdef BROKEN_UNDO
  atomic { q = queued; queued = queued + 1 }
  if
  :: q == 0 || q + 1 <= BOUND -> reserved = true
  :: else -> reserved = false; release_room()
  fi
#else
  atomic {
    if
    :: queued == 0 || queued + 1 <= BOUND -> queued = queued + 1; reserved = true
    :: else -> reserved = false
    fi
  }
#endif
}

proctype submitter(byte me) {
  byte n = 0;
  bool reserved;
  bool announced;
  byte e;
  byte q;
  do
  :: n == TASKS -> break
  :: n < TASKS ->
     try_reserve(reserved, q);
     announced = false;
     do
     :: reserved -> break
     :: !reserved ->
        if
        :: closed -> goto shut
        :: else -> skip
        fi;
#ifndef BROKEN_NO_ANNOUNCE
        if
        :: !announced -> blocked++; announced = true
        :: else -> skip
        fi;
#endif
#ifndef BROKEN_LATE_EPOCH
        e = room;
#endif
#ifndef BROKEN_NO_RECHECK
        try_reserve(reserved, q);
        if
        :: reserved -> break
        :: else -> skip
        fi;
        if
        :: closed -> goto shut
        :: else -> skip
        fi;
#endif
#ifdef BROKEN_LATE_EPOCH
        e = room;
#endif
        /* futex_wait(room_, e): compare and sleep in one step */
        atomic {
          if
          :: room == e -> sleeping[me] = true
          :: else -> skip
          fi
        }
        !sleeping[me]  /* blocks until a wake */
     od;
     if
     :: announced -> blocked--; announced = false
     :: else -> skip
     fi;
     /* the gate: a closed pool refuses (the reservation is released) */
     if
     :: closed -> release_room(); goto shut
     :: else -> atomic { items++; submitted++; assert(items <= BOUND) }
     fi;
     n++
  od;
shut:
  if
  :: announced -> blocked--; announced = false
  :: else -> skip
  fi;
  atomic { left++ }
}

proctype worker() {
  do
  :: atomic { items > 0 -> items--; taken++ };
     release_room()
  :: atomic { left == NSUB && items == 0 -> break }
  od;
  worker_done = true
}

#ifdef RACE_SHUTDOWN
proctype shutdown() {
  closed = true;
  room = room + 1;
  atomic {
    sleeping[0] = false;
#if NSUB > 1
    sleeping[1] = false;
#endif
  }
}
#endif

init {
  atomic {
    byte i = 0;
    do
    :: i < NSUB -> run submitter(i); i++
    :: else -> break
    od;
    run worker();
#ifdef RACE_SHUTDOWN
    run shutdown();
#endif
  }
  (worker_done);
  assert(taken == submitted);
#ifndef RACE_SHUTDOWN
  assert(submitted == NSUB * TASKS);
#endif
}
