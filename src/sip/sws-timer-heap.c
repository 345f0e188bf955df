/* sws-timer-heap.c: binary min-heap of embedded timers */

#include "sws-timer-heap.h"

struct _SwsTimerHeap {
  GPtrArray *items;   /* SwsTimer*, heap-ordered by deadline */
};

SwsTimerHeap *
sws_timer_heap_new (void)
{
  SwsTimerHeap *heap = g_new0 (SwsTimerHeap, 1);

  heap->items = g_ptr_array_new ();
  return heap;
}

void
sws_timer_heap_free (SwsTimerHeap *heap)
{
  if (heap == NULL)
    return;
  for (guint i = 0; i < heap->items->len; i++)
    ((SwsTimer *) heap->items->pdata[i])->index = 0;
  g_ptr_array_free (heap->items, TRUE);
  g_free (heap);
}

void
sws_timer_init (SwsTimer     *timer,
                SwsTimerFunc  func,
                gpointer      user_data)
{
  timer->deadline = 0;
  timer->index = 0;
  timer->func = func;
  timer->user_data = user_data;
}

static inline SwsTimer *
at (SwsTimerHeap *heap, guint i)
{
  return heap->items->pdata[i];
}

static inline void
place (SwsTimerHeap *heap, guint i, SwsTimer *t)
{
  heap->items->pdata[i] = t;
  t->index = i + 1;
}

static void
sift_up (SwsTimerHeap *heap, guint i)
{
  SwsTimer *t = at (heap, i);

  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      SwsTimer *p = at (heap, parent);

      if (p->deadline <= t->deadline)
        break;
      place (heap, i, p);
      i = parent;
    }
  place (heap, i, t);
}

static void
sift_down (SwsTimerHeap *heap, guint i)
{
  guint n = heap->items->len;
  SwsTimer *t = at (heap, i);

  for (;;)
    {
      guint child = 2 * i + 1;
      SwsTimer *c;

      if (child >= n)
        break;
      if (child + 1 < n && at (heap, child + 1)->deadline < at (heap, child)->deadline)
        child++;
      c = at (heap, child);
      if (t->deadline <= c->deadline)
        break;
      place (heap, i, c);
      i = child;
    }
  place (heap, i, t);
}

void
sws_timer_heap_schedule (SwsTimerHeap *heap,
                         SwsTimer     *timer,
                         gint64        deadline)
{
  g_return_if_fail (timer->func != NULL);

  if (timer->index != 0)
    {
      guint i = timer->index - 1;
      gint64 old = timer->deadline;

      g_return_if_fail (i < heap->items->len && at (heap, i) == timer);
      timer->deadline = deadline;
      if (deadline < old)
        sift_up (heap, i);
      else if (deadline > old)
        sift_down (heap, i);
      return;
    }

  timer->deadline = deadline;
  g_ptr_array_add (heap->items, timer);
  sift_up (heap, heap->items->len - 1);
}

void
sws_timer_heap_cancel (SwsTimerHeap *heap,
                       SwsTimer     *timer)
{
  guint i, last;
  SwsTimer *moved;

  if (timer->index == 0)
    return;

  i = timer->index - 1;
  g_return_if_fail (i < heap->items->len && at (heap, i) == timer);
  timer->index = 0;
  last = heap->items->len - 1;
  moved = at (heap, last);
  g_ptr_array_set_size (heap->items, last);
  if (i == last)
    return;

  place (heap, i, moved);
  if (i > 0 && at (heap, (i - 1) / 2)->deadline > moved->deadline)
    sift_up (heap, i);
  else
    sift_down (heap, i);
}

gint64
sws_timer_heap_next (const SwsTimerHeap *heap)
{
  if (heap->items->len == 0)
    return G_MAXINT64;
  return ((SwsTimer *) heap->items->pdata[0])->deadline;
}

guint
sws_timer_heap_size (const SwsTimerHeap *heap)
{
  return heap->items->len;
}

guint
sws_timer_heap_run (SwsTimerHeap *heap,
                    gint64        now)
{
  guint fired = 0;

  while (heap->items->len > 0 && at (heap, 0)->deadline <= now)
    {
      SwsTimer *t = at (heap, 0);

      sws_timer_heap_cancel (heap, t);
      fired++;
      t->func (t, t->user_data);
    }

  return fired;
}
