/* multi_waiter.pml -- as_completed / wait's one-waiter-many-futures parking
 * (executor/include/tpx/detail/multi_waiter.hpp, executor/src/multi_waiter.cpp:
 * MultiWaiter::push_ready, wait_until, take_ready, release), and, with -DDETACH,
 * a waiter detaching its node from a future's callback list after a timed-out
 * wait (a DESIGN, not yet in shared_state.hpp: the list word gets a lock bit),
 * for spin.
 *
 * Default configuration: one waiter (as_completed over NFUT = 3 futures), one
 * completer per future. A completer's node fires: it pushes itself onto ready_
 * (seq_cst CAS; modelled as one atomic push), then, when parked_ != 0, exchanges
 * parked_ to 0 and, if that exchange saw non-zero, FUTEX_WAKEs; then it drops
 * its reference on the MultiWaiter. The waiter loops: wait_until(no deadline),
 * then take_ready (exchange ready_ with null), until it has taken every index.
 * wait_until: loop { if ready_ non-empty return; parked_ = 1 (seq_cst);
 * if ready_ non-empty { parked_ = 0; return }; futex_wait(parked_, 1) }.
 * futex_wait compares and blocks in one atomic step, or returns at once (EINTR,
 * or a helping worker's nap / a timed wait elapsing); a wake releases it.
 *
 * Checked: no lost wake-up (the waiter blocked forever is an invalid end
 * state); the waiter takes every completion exactly once; nothing touches the
 * MultiWaiter after the last reference dropped.
 *
 * -DDETACH: one future F whose callback list holds the waiter's node N and to
 * which an adder concurrently adds a done callback A. The list word is a set of
 * nodes plus a LOCK bit, or CLOSED. The waiter waits with a deadline; on
 * timeout it removes N: it CASes the LOCK bit on (from an unlocked, not closed
 * head), unlinks N, and stores the new head unlocked, then frees N and drops
 * N's reference; finding CLOSED it leaves N to the completer. The completer of
 * F waits while LOCK is set, then swaps CLOSED in by a CAS from the unlocked head
 * it saw, and fires the nodes it took. add_callback pushes only onto an
 * unlocked head (waiting while LOCK is set) and fires at once on a done
 * future or a CLOSED list. Checked: N is either removed (and freed by the
 * waiter) or fired, exactly once, never both, never fired after it was freed;
 * A fires exactly once; no deadlock.
 *
 * Promela is sequentially consistent: this checks the interleavings; the
 * seq_cst Dekker pair (push / parked_ load against parked_ store / ready_ load)
 * is argued in multi_waiter.hpp.
 *
 * Broken variants (check.sh verifies the checker FAILS each):
 *   BROKEN_NO_RECHECK    the waiter parks without re-checking ready_
 *   BROKEN_NO_WAKE       the completer skips the wake
 *   (with DETACH)
 *   BROKEN_COMPLETE_IGNORES_LOCK      the completer exchanges the list for CLOSED
 *                                     even while the remover holds LOCK
 *   BROKEN_COMPLETE_LOAD_THEN_EXCHANGE  the completer waits until it sees LOCK
 *                                     clear, then exchanges (no CAS): the remover
 *                                     can lock in between
 *   BROKEN_PUSH_IGNORES_LOCK          add_callback pushes onto a locked head
 *                                     (the remover's unlocked store then drops A)
 */

#ifndef NFUT
#define NFUT 3
#endif
#ifdef DETACH
#undef NFUT
#define NFUT 1
#endif
#define ALL ((1 << NFUT) - 1)

byte ready = 0;          /* ready_: the set of pushed nodes (by index bit) */
byte parked = 0;         /* parked_: the futex word */
bool blocked = false;    /* the waiter sleeps in futex_wait(parked_, 1) */
byte refs = NFUT + 1;    /* refs_: the waiter's + one per node not yet fired / removed */
bool deleted = false;    /* ghost: the MultiWaiter was deleted */
byte taken = 0;          /* ghost: indexes the waiter took */
byte finished_threads = 0;

inline release_ref() {
  atomic {
    assert(!deleted);
    refs--;
    if
    :: refs == 0 -> deleted = true
    :: else -> skip
    fi
  }
}

/* MultiWaiter::push_ready(node i), then Node::fire's owner->release() */
inline push_ready(i) {
  atomic { assert(!deleted); assert((ready & (1 << i)) == 0); ready = ready | (1 << i) }
#ifndef BROKEN_NO_WAKE
  atomic { assert(!deleted); p = parked };       /* parked_.load(std::memory_order_seq_cst) */
  if
  :: p != 0 ->
     atomic { p = parked; parked = 0 };            /* exchange(0) */
     if
     :: p != 0 -> blocked = false                  /* futex_wake(parked_, 1) */
     :: else -> skip
     fi;
     p = 0
  :: else -> skip
  fi;
#endif
  release_ref()
}

/* MultiWaiter::wait_until; `timed`: a deadline that may elapse (result in ok) */
inline wait_until(timed) {
  do
  :: ready != 0 -> ok = true; break
  :: ready == 0 && timed -> ok = false; break      /* the deadline passed */
  :: ready == 0 ->
     parked = 1;
#ifndef BROKEN_NO_RECHECK
     if
     :: ready != 0 -> parked = 0; ok = true; break
     :: else -> skip
     fi;
#endif
     atomic {                                      /* futex_wait(parked_, 1) */
       if
       :: parked == 1 -> blocked = true
       :: parked == 1 -> skip                      /* EINTR, a nap or the deadline elapsing */
       :: else -> skip
       fi
     }
     (!blocked)
  od
}

/* MultiWaiter::take_ready: exchange ready_ with null */
inline take_ready() {
  atomic {
    assert(!deleted);
    assert((taken & ready) == 0);                  /* every completion taken once */
    taken = taken | ready;
    ready = 0
  }
}

#ifndef DETACH

proctype Completer(byte i) {
  byte p = 0;
  push_ready(i);
  finished_threads++
}

proctype Waiter() {
  bool ok = false;
  do
  :: taken != ALL ->
     wait_until(false);
     assert(ok && ready != 0);
     take_ready()
  :: else -> break
  od;
  release_ref();
  finished_threads++
}

init {
  byte i = 0;
  atomic {
    run Waiter();
    do
    :: i < NFUT -> run Completer(i); i++
    :: else -> break
    od
  }
  (finished_threads == NFUT + 1);
  assert(taken == ALL && deleted)
}

#else /* DETACH */

#define NODE_W  1        /* the waiter's node N on F */
#define NODE_A  2        /* a done callback A added concurrently */
#define LOCK    4
#define CLOSED  8

byte list = NODE_W;      /* F's callbacks_: N was hung there by watch() */
bool fdone = false;      /* F's state word says done */
byte fired_w = 0;
byte fired_a = 0;
bool removed_w = false;  /* the waiter unlinked N */
bool freed_w = false;    /* the waiter freed N */

inline fire(n) {
  if
  :: n == NODE_W ->
     atomic { assert(!freed_w && !removed_w); fired_w++; assert(fired_w == 1) };
     push_ready(0)
  :: n == NODE_A ->
     atomic { fired_a++; assert(fired_a == 1) }
  fi
}

proctype Completer() {
  byte h = 0;
  byte p = 0;
  bool ok = false;
  fdone = true;                                    /* complete(): the word says done */
  /* run_callbacks */
#if defined(BROKEN_COMPLETE_IGNORES_LOCK)
  atomic { h = list; list = CLOSED };
  h = h & ~LOCK;
#elif defined(BROKEN_COMPLETE_LOAD_THEN_EXCHANGE)
  atomic { (list & LOCK) == 0 };                   /* wait while locked */
  atomic { h = list; list = CLOSED };
  h = h & ~LOCK;
#else
  do
  :: atomic { (list & LOCK) == 0 -> h = list };    /* wait while locked, then read the head */
     atomic {                                      /* CAS(h, CLOSED) */
       if
       :: list == h -> list = CLOSED; ok = true
       :: list == h -> ok = false                  /* weak CAS: spurious failure */
       :: else -> ok = false
       fi
     };
     if
     :: ok -> break
     :: else -> skip
     fi
  od;
#endif
  assert(h != CLOSED);
  if
  :: (h & NODE_W) != 0 -> fire(NODE_W)
  :: else -> skip
  fi;
  if
  :: (h & NODE_A) != 0 -> fire(NODE_A)
  :: else -> skip
  fi;
  finished_threads++
}

/* StateBase::add_callback(A) with the lock bit respected */
proctype Adder() {
  byte h = 0;
  bool ok = false;
  byte p = 0;
  if
  :: fdone -> goto fire_now
  :: else -> skip
  fi;
  do
#ifndef BROKEN_PUSH_IGNORES_LOCK
  :: atomic { (list & LOCK) == 0 -> h = list };
#else
  :: h = list;
#endif
     if
     :: h == CLOSED -> goto fire_now
     :: else -> skip
     fi;
     atomic {
       if
       :: list == h -> list = h | NODE_A; ok = true
       :: list == h -> ok = false
       :: else -> ok = false
       fi
     };
     if
     :: ok -> goto added
     :: else -> skip
     fi
  od;
fire_now:
  fire(NODE_A);
added:
  finished_threads++
}

proctype Waiter() {
  bool ok = false;
  byte h = 0;
  byte p = 0;
  wait_until(true);
  if
  :: ok -> take_ready()                            /* N fired: the completion is taken */
  :: else ->
     /* timed out: detach N from F's list */
     do
     :: h = list;
        if
        :: h == CLOSED -> break                    /* the completer took N: it fires it */
        :: (h & LOCK) != 0 -> skip                 /* (another remover) retry */
        :: else ->
           atomic {                                /* CAS(h, h | LOCK) */
             if
             :: list == h -> list = h | LOCK; ok = true
             :: list == h -> ok = false
             :: else -> ok = false
             fi
           };
           if
           :: ok ->
              assert((h & NODE_W) != 0);           /* only we remove N, only the completer takes it */
              removed_w = true;                    /* unlink */
              list = h & ~NODE_W;                  /* store the new head, unlocked */
              atomic { assert(fired_w == 0); freed_w = true };   /* delete N */
              release_ref();                       /* N's reference on the waiter */
              break
           :: else -> skip
           fi
        fi
     od
  fi;
  release_ref();                                   /* the waiter's own reference */
  finished_threads++
}

init {
  atomic {
    run Waiter();
    run Completer();
    run Adder()
  }
  (finished_threads == 3);
  assert(fired_w + removed_w == 1);                /* N: fired or removed, exactly once */
  assert(removed_w == freed_w);
  assert(fired_a == 1);
  assert(list == CLOSED);
  assert(deleted)
}

#endif
