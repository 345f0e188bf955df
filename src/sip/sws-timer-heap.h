/* sws-timer-heap.h: one timer structure for every binding and transaction
 *
 * A binary min-heap of deadlines. Entries are embedded in the objects that
 * own them (no allocation per timer); the heap only stores pointers. The
 * daemon drives it from a single GSource whose ready time follows the
 * earliest deadline, so a million registrations cost one main-loop source.
 * Times are plain gint64 (µs, monotonic); the heap does no I/O and never
 * reads a clock itself.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SwsTimer SwsTimer;
typedef void (*SwsTimerFunc) (SwsTimer *timer, gpointer user_data);

struct _SwsTimer {
  /*< private >*/
  gint64 deadline;
  guint index;          /* position in the heap + 1; 0 when not scheduled */
  SwsTimerFunc func;
  gpointer user_data;
};

typedef struct _SwsTimerHeap SwsTimerHeap;

SwsTimerHeap *sws_timer_heap_new  (void);
void          sws_timer_heap_free (SwsTimerHeap *heap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsTimerHeap, sws_timer_heap_free)

void     sws_timer_init          (SwsTimer     *timer,
                                  SwsTimerFunc  func,
                                  gpointer      user_data);
static inline gboolean
sws_timer_is_scheduled (const SwsTimer *timer)
{
  return timer->index != 0;
}

/* Schedule (or move) a timer to `deadline`. O(log n). */
void     sws_timer_heap_schedule (SwsTimerHeap *heap,
                                  SwsTimer     *timer,
                                  gint64        deadline);
/* Unschedule a timer; harmless when it is not scheduled. O(log n). */
void     sws_timer_heap_cancel   (SwsTimerHeap *heap,
                                  SwsTimer     *timer);
/* Earliest deadline, or G_MAXINT64 when empty. */
gint64   sws_timer_heap_next     (const SwsTimerHeap *heap);
guint    sws_timer_heap_size     (const SwsTimerHeap *heap);
/* Fire every timer whose deadline is <= now, earliest first. A callback may
 * schedule or cancel any timer, itself included. Returns how many fired. */
guint    sws_timer_heap_run      (SwsTimerHeap *heap,
                                  gint64        now);

G_END_DECLS
