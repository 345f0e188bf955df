/* test-timer-heap.c: ordering, rescheduling, cancelling and re-entrancy */

#include "sws-timer-heap.h"

typedef struct {
  SwsTimer timer;
  guint id;
  GArray *log;          /* ids in firing order */
  gint64 fired_at;      /* deadline when it fired */
  gint64 period;        /* > 0: reschedule itself this much later */
  guint max_fires;
  guint fires;
  SwsTimerHeap *heap;
  SwsTimer *victim;     /* cancelled from the callback */
  SwsTimer *spawn;      /* scheduled from the callback */
  gint64 spawn_deadline;
} Item;

static void
item_fired (SwsTimer *timer, gpointer user_data)
{
  Item *item = user_data;

  g_assert_true (timer == &item->timer);
  g_assert_false (sws_timer_is_scheduled (timer));
  item->fires++;
  item->fired_at = timer->deadline;
  if (item->log != NULL)
    g_array_append_val (item->log, item->id);
  if (item->victim != NULL)
    sws_timer_heap_cancel (item->heap, item->victim);
  if (item->spawn != NULL)
    sws_timer_heap_schedule (item->heap, item->spawn, item->spawn_deadline);
  if (item->period > 0 && item->fires < item->max_fires)
    sws_timer_heap_schedule (item->heap, timer, timer->deadline + item->period);
}

static void
item_init (Item *item, SwsTimerHeap *heap, guint id, GArray *log)
{
  *item = (Item) { .id = id, .log = log, .heap = heap };
  sws_timer_init (&item->timer, item_fired, item);
}

static void
assert_log (GArray *log, const guint *expected, guint n)
{
  g_assert_cmpuint (log->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (log, guint, i), ==, expected[i]);
  g_array_set_size (log, 0);
}

static void
test_empty (void)
{
  g_autoptr(SwsTimerHeap) heap = sws_timer_heap_new ();
  Item a;

  g_assert_cmpint (sws_timer_heap_next (heap), ==, G_MAXINT64);
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, 0);
  g_assert_cmpuint (sws_timer_heap_run (heap, G_MAXINT64), ==, 0);

  item_init (&a, heap, 1, NULL);
  g_assert_false (sws_timer_is_scheduled (&a.timer));
  sws_timer_heap_cancel (heap, &a.timer);   /* harmless */
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, 0);
}

static void
test_ordering (void)
{
  static const gint64 deadlines[] = { 50, 10, 40, 20, 30, -5 };
  static const guint order[] = { 5, 1, 3, 4, 2, 0 };
  g_autoptr(SwsTimerHeap) heap = sws_timer_heap_new ();
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (guint));
  Item items[G_N_ELEMENTS (deadlines)];

  for (guint i = 0; i < G_N_ELEMENTS (deadlines); i++)
    {
      item_init (&items[i], heap, i, log);
      sws_timer_heap_schedule (heap, &items[i].timer, deadlines[i]);
      g_assert_true (sws_timer_is_scheduled (&items[i].timer));
    }
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, 6);
  g_assert_cmpint (sws_timer_heap_next (heap), ==, -5);

  g_assert_cmpuint (sws_timer_heap_run (heap, 9), ==, 1);
  g_assert_cmpint (sws_timer_heap_next (heap), ==, 10);
  /* deadline == now fires */
  g_assert_cmpuint (sws_timer_heap_run (heap, 30), ==, 3);
  g_assert_cmpuint (sws_timer_heap_run (heap, 1000), ==, 2);
  assert_log (log, order, G_N_ELEMENTS (order));
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (deadlines); i++)
    {
      g_assert_cmpuint (items[i].fires, ==, 1);
      g_assert_false (sws_timer_is_scheduled (&items[i].timer));
    }
}

static void
test_equal_deadlines (void)
{
  g_autoptr(SwsTimerHeap) heap = sws_timer_heap_new ();
  Item items[20];

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      item_init (&items[i], heap, i, NULL);
      sws_timer_heap_schedule (heap, &items[i].timer, 100);
    }
  g_assert_cmpuint (sws_timer_heap_run (heap, 99), ==, 0);
  g_assert_cmpuint (sws_timer_heap_run (heap, 100), ==, 20);
}

static void
test_reschedule (void)
{
  g_autoptr(SwsTimerHeap) heap = sws_timer_heap_new ();
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (guint));
  static const guint order[] = { 3, 1, 2, 0 };
  Item items[4];

  for (guint i = 0; i < 4; i++)
    {
      item_init (&items[i], heap, i, log);
      sws_timer_heap_schedule (heap, &items[i].timer, 10 * (i + 1));
    }
  /* later, earlier, same */
  sws_timer_heap_schedule (heap, &items[0].timer, 100);
  sws_timer_heap_schedule (heap, &items[3].timer, 5);
  sws_timer_heap_schedule (heap, &items[2].timer, 30);
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, 4);
  g_assert_cmpint (sws_timer_heap_next (heap), ==, 5);

  g_assert_cmpuint (sws_timer_heap_run (heap, 1000), ==, 4);
  assert_log (log, order, G_N_ELEMENTS (order));
  g_assert_cmpint (items[0].fired_at, ==, 100);
}

static void
test_cancel (void)
{
  g_autoptr(SwsTimerHeap) heap = sws_timer_heap_new ();
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (guint));
  static const guint order[] = { 0, 1, 2, 4, 5, 7, 8 };
  Item items[9];

  for (guint i = 0; i < 9; i++)
    {
      item_init (&items[i], heap, i, log);
      sws_timer_heap_schedule (heap, &items[i].timer, 10 * i);
    }
  /* middle, last, and twice */
  sws_timer_heap_cancel (heap, &items[3].timer);
  sws_timer_heap_cancel (heap, &items[6].timer);
  sws_timer_heap_cancel (heap, &items[6].timer);
  g_assert_false (sws_timer_is_scheduled (&items[3].timer));
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, 7);

  g_assert_cmpuint (sws_timer_heap_run (heap, 1000), ==, 7);
  assert_log (log, order, G_N_ELEMENTS (order));

  /* a cancelled timer can be scheduled again */
  sws_timer_heap_schedule (heap, &items[3].timer, 5);
  g_assert_cmpuint (sws_timer_heap_run (heap, 5), ==, 1);
  g_assert_cmpuint (items[3].fires, ==, 1);
  g_array_set_size (log, 0);
}

static void
test_periodic (void)
{
  g_autoptr(SwsTimerHeap) heap = sws_timer_heap_new ();
  Item tick, other;

  item_init (&tick, heap, 1, NULL);
  tick.period = 10;
  tick.max_fires = 1000;
  item_init (&other, heap, 2, NULL);
  sws_timer_heap_schedule (heap, &tick.timer, 0);
  sws_timer_heap_schedule (heap, &other.timer, 25);

  /* a callback rescheduling itself within `now` fires again in the
   * same run: 0, 10, 20, 30, 40, 50 */
  g_assert_cmpuint (sws_timer_heap_run (heap, 50), ==, 7);
  g_assert_cmpuint (tick.fires, ==, 6);
  g_assert_cmpuint (other.fires, ==, 1);
  g_assert_true (sws_timer_is_scheduled (&tick.timer));
  g_assert_cmpint (sws_timer_heap_next (heap), ==, 60);

  tick.max_fires = 8;
  g_assert_cmpuint (sws_timer_heap_run (heap, 1000), ==, 2);
  g_assert_false (sws_timer_is_scheduled (&tick.timer));
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, 0);
}

static void
test_callback_changes_others (void)
{
  g_autoptr(SwsTimerHeap) heap = sws_timer_heap_new ();
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (guint));
  static const guint order[] = { 0, 3, 2 };
  Item items[4];

  for (guint i = 0; i < 4; i++)
    item_init (&items[i], heap, i, log);
  sws_timer_heap_schedule (heap, &items[0].timer, 10);
  sws_timer_heap_schedule (heap, &items[1].timer, 20);
  sws_timer_heap_schedule (heap, &items[2].timer, 30);
  /* 0 cancels 1 and schedules 3 before 2, already due */
  items[0].victim = &items[1].timer;
  items[0].spawn = &items[3].timer;
  items[0].spawn_deadline = 15;

  g_assert_cmpuint (sws_timer_heap_run (heap, 100), ==, 3);
  assert_log (log, order, G_N_ELEMENTS (order));
  g_assert_cmpuint (items[1].fires, ==, 0);
}

static void
test_free_scheduled (void)
{
  SwsTimerHeap *heap = sws_timer_heap_new ();
  Item items[3];

  for (guint i = 0; i < 3; i++)
    {
      item_init (&items[i], heap, i, NULL);
      sws_timer_heap_schedule (heap, &items[i].timer, i);
    }
  sws_timer_heap_free (heap);
  for (guint i = 0; i < 3; i++)
    g_assert_false (sws_timer_is_scheduled (&items[i].timer));
  sws_timer_heap_free (NULL);
}

typedef struct {
  SwsTimer timer;
  gint64 *last;
  guint *count;
} Rnd;

static void
rnd_fired (SwsTimer *timer, gpointer user_data)
{
  Rnd *r = user_data;

  g_assert_cmpint (timer->deadline, >=, *r->last);
  *r->last = timer->deadline;
  (*r->count)++;
}

static void
test_random (void)
{
  const guint n = 10000;
  g_autoptr(SwsTimerHeap) heap = sws_timer_heap_new ();
  GRand *rand = g_rand_new_with_seed (20260);
  Rnd *timers = g_new0 (Rnd, n);
  gint64 last = G_MININT64;
  guint count = 0, expected = n;

  for (guint i = 0; i < n; i++)
    {
      timers[i].last = &last;
      timers[i].count = &count;
      sws_timer_init (&timers[i].timer, rnd_fired, &timers[i]);
      sws_timer_heap_schedule (heap, &timers[i].timer, g_rand_int_range (rand, 0, 1000000));
    }
  /* move a third of them, cancel a tenth */
  for (guint i = 0; i < n / 3; i++)
    sws_timer_heap_schedule (heap, &timers[g_rand_int_range (rand, 0, n)].timer,
                             g_rand_int_range (rand, 0, 1000000));
  for (guint i = 0; i < n / 10; i++)
    {
      SwsTimer *t = &timers[g_rand_int_range (rand, 0, n)].timer;

      if (sws_timer_is_scheduled (t))
        expected--;
      sws_timer_heap_cancel (heap, t);
    }
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, expected);

  /* fire in steps, checking the order across runs */
  for (gint64 now = 0; now < 1000000; now += 12345)
    {
      sws_timer_heap_run (heap, now);
      g_assert_cmpint (sws_timer_heap_next (heap), >, now);
    }
  sws_timer_heap_run (heap, G_MAXINT64);
  g_assert_cmpuint (count, ==, expected);
  g_assert_cmpuint (sws_timer_heap_size (heap), ==, 0);

  g_free (timers);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/timer-heap/empty", test_empty);
  g_test_add_func ("/sws/timer-heap/ordering", test_ordering);
  g_test_add_func ("/sws/timer-heap/equal-deadlines", test_equal_deadlines);
  g_test_add_func ("/sws/timer-heap/reschedule", test_reschedule);
  g_test_add_func ("/sws/timer-heap/cancel", test_cancel);
  g_test_add_func ("/sws/timer-heap/periodic", test_periodic);
  g_test_add_func ("/sws/timer-heap/callback-changes-others", test_callback_changes_others);
  g_test_add_func ("/sws/timer-heap/free-scheduled", test_free_scheduled);
  g_test_add_func ("/sws/timer-heap/random", test_random);

  return g_test_run ();
}
