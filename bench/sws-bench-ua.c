/* sws-bench-ua.c: the user agents of sws-bench and the worker thread loop
 *
 * Every connection is one UA with its own AOR, sip:b<index>@<domain>, and
 * registers once during setup. Then, by mode:
 *
 *  - register: keep --window REGISTERs in flight, each refreshing the same
 *    binding (same Call-ID, next CSeq, Contact ;transport=ws, Expires 600);
 *  - call: connections pair up, even = caller, odd = callee. The caller
 *    loops INVITE → (100) → 180 → 200 → ACK → BYE → 200; the callee answers
 *    180 and 200 copying every Via and Record-Route, and 200 to the BYE. A
 *    call counts only when both sides saw every step;
 *  - hold: nothing; the connection stays registered and answers pings.
 *
 * Latency is recorded for operations that complete inside the measured
 * window the main thread publishes.
 */

#include "sws-bench.h"

#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define TICK_NS (250 * 1000000LL)

enum {
  CALLER_IDLE,
  CALLER_INVITING,
  CALLER_BYEING,
};

static const char sdp_offer[] =
  "v=0\r\n"
  "o=- 1 1 IN IP4 127.0.0.1\r\n"
  "s=-\r\n"
  "c=IN IP4 127.0.0.1\r\n"
  "t=0 0\r\n"
  "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
  "a=rtpmap:0 PCMU/8000\r\n";

static const char sdp_answer[] =
  "v=0\r\n"
  "o=- 2 1 IN IP4 127.0.0.1\r\n"
  "s=-\r\n"
  "c=IN IP4 127.0.0.1\r\n"
  "t=0 0\r\n"
  "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
  "a=rtpmap:0 PCMU/8000\r\n";

static bool
in_window (SbWorker *w,
           int64_t   now)
{
  int64_t start = atomic_load (&w->shared->measure_start);
  int64_t end = atomic_load (&w->shared->measure_end);

  return start != 0 && now >= start && (end == 0 || now < end);
}

static int
phase (SbWorker *w)
{
  return atomic_load (&w->shared->phase);
}

static void
send_out (SbWorker   *w,
          SbConn     *c,
          SbOut      *o)
{
  if (o->overflow)
    {
      w->stats.errors[SB_ERR_PROTOCOL]++;
      return;
    }
  sb_conn_send (w, c, w->wbuf, sb_out_len (o, w->wbuf));
}

/* "Via: SIP/2.0/WS h<i>.invalid;rport;branch=z9hG4bK<pid>.<i>.<n>" */
static void
put_via (SbWorker *w,
         SbOut    *o,
         SbConn   *c,
         char     *branch_copy,
         size_t    copy_cap)
{
  char *start;

  sb_out_str (o, "Via: SIP/2.0/WS h");
  sb_out_u (o, c->index);
  sb_out_str (o, ".invalid;rport;branch=");
  start = o->p;
  sb_out_str (o, "z9hG4bK");
  sb_out_u (o, (uint64_t) getpid ());
  sb_out_str (o, ".");
  sb_out_u (o, c->index);
  sb_out_str (o, ".");
  sb_out_u (o, ++w->branch_seq);
  if (branch_copy != NULL && !o->overflow && (size_t) (o->p - start) < copy_cap)
    {
      memcpy (branch_copy, start, (size_t) (o->p - start));
      branch_copy[o->p - start] = '\0';
    }
  sb_out_str (o, "\r\nMax-Forwards: 70\r\n");
}

static void
put_aor (SbWorker *w,
         SbOut    *o,
         unsigned  index)
{
  sb_out_str (o, "<sip:b");
  sb_out_u (o, index);
  sb_out_str (o, "@");
  sb_out_str (o, w->opts->domain);
  sb_out_str (o, ">");
}

static void
put_contact (SbOut  *o,
             SbConn *c)
{
  sb_out_str (o, "Contact: <sip:b");
  sb_out_u (o, c->index);
  sb_out_str (o, "@h");
  sb_out_u (o, c->index);
  sb_out_str (o, ".invalid;transport=ws>\r\n");
}

/* ---- register ----------------------------------------------------------- */

static unsigned
slots (SbWorker *w)
{
  return w->opts->mode == SB_MODE_REGISTER ? w->opts->window : 1;
}

static void
send_register (SbWorker *w,
               SbConn   *c)
{
  SbOut o;

  c->cseq++;
  c->sent_at[c->cseq % slots (w)] = sb_now ();
  c->inflight++;

  sb_out_init (&o, w->wbuf, sizeof w->wbuf);
  sb_out_str (&o, "REGISTER sip:");
  sb_out_str (&o, w->opts->domain);
  sb_out_str (&o, " SIP/2.0\r\n");
  put_via (w, &o, c, NULL, 0);
  sb_out_str (&o, "From: ");
  put_aor (w, &o, c->index);
  sb_out_str (&o, ";tag=r");
  sb_out_u (&o, c->index);
  sb_out_str (&o, "\r\nTo: ");
  put_aor (w, &o, c->index);
  sb_out_str (&o, "\r\nCall-ID: r");
  sb_out_u (&o, c->index);
  sb_out_str (&o, ".");
  sb_out_u (&o, (uint64_t) getpid ());
  sb_out_str (&o, "@bench\r\nCSeq: ");
  sb_out_u (&o, c->cseq);
  sb_out_str (&o, " REGISTER\r\n");
  put_contact (&o, c);
  sb_out_str (&o, "Expires: 600\r\nUser-Agent: sws-bench\r\nContent-Length: 0\r\n\r\n");
  send_out (w, c, &o);
}

static void
fill_window (SbWorker *w,
             SbConn   *c)
{
  while (c->state == SB_CONN_OPEN && c->inflight < w->opts->window &&
         phase (w) == SB_PHASE_RUN)
    send_register (w, c);
}

static void
setup_failed (SbWorker *w,
              SbConn   *c)
{
  if (!c->registered && !c->failed)
    {
      c->failed = true;
      atomic_fetch_add (&w->shared->failed, 1);
    }
}

static void
on_register_response (SbWorker       *w,
                      SbConn         *c,
                      const SbSipMsg *msg)
{
  unsigned slot = msg->cseq % slots (w);
  int64_t now, sent = c->sent_at[slot];

  if (sent == 0 || msg->status < 200)
    return;
  now = sb_now ();
  c->sent_at[slot] = 0;
  c->inflight--;

  if (msg->status == 200)
    {
      if (!c->registered)
        {
          c->registered = true;
          atomic_fetch_add (&w->shared->registered, 1);
        }
      w->stats.ok_total += w->opts->mode == SB_MODE_REGISTER;
      if (w->opts->mode == SB_MODE_REGISTER && in_window (w, now))
        {
          w->stats.ok++;
          sb_stats_latency (&w->stats, now - sent);
        }
    }
  else
    {
      w->stats.status[msg->status]++;
      setup_failed (w, c);
    }
  if (w->opts->mode == SB_MODE_REGISTER)
    fill_window (w, c);
}

/* ---- caller ------------------------------------------------------------- */

static void
put_call_headers (SbWorker *w,
                  SbOut    *o,
                  SbConn   *c)
{
  SbCaller *k = c->caller;

  sb_out_str (o, "From: ");
  put_aor (w, o, c->index);
  sb_out_str (o, ";tag=f");
  sb_out_u (o, c->index);
  sb_out_str (o, ".");
  sb_out_u (o, k->seq);
  sb_out_str (o, "\r\nCall-ID: ");
  sb_out_mem (o, k->call_id, k->call_id_len);
  sb_out_str (o, "\r\n");
}

static void
start_call (SbWorker *w,
            SbConn   *c)
{
  SbCaller *k = c->caller;
  SbOut o;

  if (c->state != SB_CONN_OPEN || c->peer->state != SB_CONN_OPEN)
    return;
  k->seq++;
  k->state = CALLER_INVITING;
  k->got_180 = k->got_200 = false;
  k->started = k->step_at = sb_now ();
  sb_out_init (&o, k->call_id, sizeof k->call_id);
  sb_out_str (&o, "c");
  sb_out_u (&o, c->index);
  sb_out_str (&o, ".");
  sb_out_u (&o, k->seq);
  sb_out_str (&o, ".");
  sb_out_u (&o, (uint64_t) getpid ());
  sb_out_str (&o, "@bench");
  k->call_id_len = sb_out_len (&o, k->call_id);

  sb_out_init (&o, w->wbuf, sizeof w->wbuf);
  sb_out_str (&o, "INVITE sip:b");
  sb_out_u (&o, c->peer->index);
  sb_out_str (&o, "@");
  sb_out_str (&o, w->opts->domain);
  sb_out_str (&o, " SIP/2.0\r\n");
  put_via (w, &o, c, k->invite_branch, sizeof k->invite_branch);
  put_call_headers (w, &o, c);
  sb_out_str (&o, "To: ");
  put_aor (w, &o, c->peer->index);
  sb_out_str (&o, "\r\nCSeq: 1 INVITE\r\n");
  put_contact (&o, c);
  sb_out_str (&o, "Content-Type: application/sdp\r\nUser-Agent: sws-bench\r\nContent-Length: ");
  sb_out_u (&o, sizeof sdp_offer - 1);
  sb_out_str (&o, "\r\n\r\n");
  sb_out_str (&o, sdp_offer);
  send_out (w, c, &o);
}

/* ACK or BYE along the dialog: Request-URI is the callee's Contact, the
 * route set the reversed Record-Route (RFC 3261 §12.2.1.1). */
static void
send_in_dialog (SbWorker   *w,
                SbConn     *c,
                const char *method,
                unsigned    cseq)
{
  SbCaller *k = c->caller;
  SbOut o;

  sb_out_init (&o, w->wbuf, sizeof w->wbuf);
  sb_out_str (&o, method);
  sb_out_str (&o, " ");
  sb_out_mem (&o, k->target, k->target_len);
  sb_out_str (&o, " SIP/2.0\r\n");
  put_via (w, &o, c, NULL, 0);
  sb_out_mem (&o, k->route, k->route_len);
  put_call_headers (w, &o, c);
  sb_out_str (&o, "To: ");
  sb_out_mem (&o, k->to, k->to_len);
  sb_out_str (&o, "\r\nCSeq: ");
  sb_out_u (&o, cseq);
  sb_out_str (&o, " ");
  sb_out_str (&o, method);
  sb_out_str (&o, "\r\nContent-Length: 0\r\n\r\n");
  send_out (w, c, &o);
}

/* The ACK of a non-2xx final is part of the INVITE transaction: same
 * branch, same Request-URI (RFC 3261 §17.1.1.3). */
static void
send_error_ack (SbWorker       *w,
                SbConn         *c,
                const SbSipMsg *msg)
{
  SbCaller *k = c->caller;
  SbOut o;

  sb_out_init (&o, w->wbuf, sizeof w->wbuf);
  sb_out_str (&o, "ACK sip:b");
  sb_out_u (&o, c->peer->index);
  sb_out_str (&o, "@");
  sb_out_str (&o, w->opts->domain);
  sb_out_str (&o, " SIP/2.0\r\nVia: SIP/2.0/WS h");
  sb_out_u (&o, c->index);
  sb_out_str (&o, ".invalid;rport;branch=");
  sb_out_str (&o, k->invite_branch);
  sb_out_str (&o, "\r\nMax-Forwards: 70\r\n");
  put_call_headers (w, &o, c);
  sb_out_s (&o, msg->headers[msg->first[SB_H_TO]].line);
  sb_out_str (&o, "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
  send_out (w, c, &o);
}

static void
call_over (SbWorker *w,
           SbConn   *c)
{
  c->caller->state = CALLER_IDLE;
  if (phase (w) == SB_PHASE_RUN)
    start_call (w, c);
}

static bool
copy_str (char       *dst,
          size_t      cap,
          size_t     *len,
          SbStr       s)
{
  if (s.len >= cap)
    return false;
  memcpy (dst, s.p, s.len);
  *len = s.len;
  return true;
}

static void
on_answered (SbWorker       *w,
             SbConn         *c,
             const SbSipMsg *msg)
{
  SbCaller *k = c->caller;
  SbStr uri;

  k->got_200 = true;
  if (msg->first[SB_H_TO] < 0 || !sb_sip_contact_uri (msg, &uri) ||
      !copy_str (k->to, sizeof k->to, &k->to_len, msg->headers[msg->first[SB_H_TO]].value) ||
      !copy_str (k->target, sizeof k->target, &k->target_len, uri))
    {
      w->stats.errors[SB_ERR_PROTOCOL]++;
      call_over (w, c);
      return;
    }
  k->route_len = sb_sip_route_set (msg, k->route, sizeof k->route);
  send_in_dialog (w, c, "ACK", 1);
  send_in_dialog (w, c, "BYE", 2);
  k->state = CALLER_BYEING;
  k->step_at = sb_now ();
}

static void
on_caller_response (SbWorker       *w,
                    SbConn         *c,
                    const SbSipMsg *msg)
{
  SbCaller *k = c->caller;
  SbCallee *e = c->peer->callee;

  if (k->state == CALLER_IDLE || msg->call_id.len != k->call_id_len ||
      memcmp (msg->call_id.p, k->call_id, k->call_id_len) != 0)
    return;

  if (sb_str_eq (msg->cseq_method, "INVITE"))
    {
      if (k->state != CALLER_INVITING || msg->status == 100)
        return;   /* a 2xx retransmission, or the proxy's 100 */
      if (msg->status < 200)
        {
          k->got_180 |= msg->status == 180;
          return;
        }
      if (msg->status < 300)
        {
          on_answered (w, c, msg);
          return;
        }
      w->stats.status[msg->status]++;
      if (msg->first[SB_H_TO] >= 0)
        send_error_ack (w, c, msg);
      call_over (w, c);
      return;
    }

  if (!sb_str_eq (msg->cseq_method, "BYE") || k->state != CALLER_BYEING || msg->status < 200)
    return;
  if (msg->status >= 300)
    w->stats.status[msg->status]++;
  else if (k->got_180 && k->got_200 && e->invite && e->ack && e->bye &&
           e->call_id_len == k->call_id_len &&
           memcmp (e->call_id, k->call_id, k->call_id_len) == 0)
    {
      int64_t now = sb_now ();

      w->stats.ok_total++;
      if (in_window (w, now))
        {
          w->stats.ok++;
          sb_stats_latency (&w->stats, now - k->started);
        }
    }
  else
    w->stats.errors[SB_ERR_INCOMPLETE]++;
  call_over (w, c);
}

/* ---- callee ------------------------------------------------------------- */

static void
respond (SbWorker       *w,
         SbConn         *c,
         const SbSipMsg *req,
         unsigned        code,
         const char     *reason,
         bool            with_contact,
         const char     *body)
{
  char tag[32];
  SbOut o;

  sb_out_init (&o, tag, sizeof tag - 1);
  sb_out_str (&o, "e");
  sb_out_u (&o, c->index);
  *o.p = '\0';

  sb_out_init (&o, w->wbuf, sizeof w->wbuf);
  sb_sip_begin_response (&o, req, code, reason);
  sb_sip_copy_dialog (&o, req, tag);
  if (with_contact)
    put_contact (&o, c);
  if (body != NULL)
    sb_out_str (&o, "Content-Type: application/sdp\r\n");
  sb_out_str (&o, "Content-Length: ");
  sb_out_u (&o, body ? strlen (body) : 0);
  sb_out_str (&o, "\r\n\r\n");
  if (body != NULL)
    sb_out_str (&o, body);
  send_out (w, c, &o);
}

static bool
same_call (const SbCallee *e,
           const SbSipMsg *msg)
{
  return msg->call_id.len == e->call_id_len &&
         memcmp (msg->call_id.p, e->call_id, e->call_id_len) == 0;
}

static void
on_request (SbWorker       *w,
            SbConn         *c,
            const SbSipMsg *msg)
{
  SbCallee *e = c->callee;

  if (sb_str_eq (msg->method, "ACK"))
    {
      if (e != NULL && same_call (e, msg))
        e->ack = true;
      return;
    }
  if (e != NULL && sb_str_eq (msg->method, "INVITE"))
    {
      if (!same_call (e, msg))
        {
          size_t len = 0;

          if (!copy_str (e->call_id, sizeof e->call_id, &len, msg->call_id))
            len = 0;
          e->call_id_len = len;
          e->invite = true;
          e->ack = e->bye = false;
        }
      respond (w, c, msg, 180, "Ringing", true, NULL);
      respond (w, c, msg, 200, "OK", true, sdp_answer);
      return;
    }
  if (e != NULL && sb_str_eq (msg->method, "BYE") && same_call (e, msg))
    e->bye = true;
  respond (w, c, msg, 200, "OK", false, NULL);
}

/* ---- connection events -------------------------------------------------- */

void
sb_ua_opened (SbWorker *w,
              SbConn   *c)
{
  send_register (w, c);
}

void
sb_ua_message (SbWorker   *w,
               SbConn     *c,
               const char *data,
               size_t      len)
{
  SbSipMsg msg;
  size_t blank = 0;

  /* RFC 5626 §3.5.1 keepalive answers are not SIP. */
  while (blank < len && (data[blank] == '\r' || data[blank] == '\n'))
    blank++;
  if (blank == len)
    return;
  if (!sb_sip_parse (data, len, &msg))
    {
      w->stats.errors[SB_ERR_PROTOCOL]++;
      return;
    }
  if (msg.is_request)
    on_request (w, c, &msg);
  else if (sb_str_eq (msg.cseq_method, "REGISTER"))
    on_register_response (w, c, &msg);
  else if (c->caller != NULL)
    on_caller_response (w, c, &msg);
}

void
sb_ua_closed (SbWorker *w,
              SbConn   *c)
{
  setup_failed (w, c);
  if (c->caller != NULL)
    c->caller->state = CALLER_IDLE;
}

/* ---- the thread --------------------------------------------------------- */

static void
phase_changed (SbWorker *w,
               int       now_phase)
{
  w->seen_phase = now_phase;
  for (unsigned i = 0; i < w->n_conns; i++)
    {
      SbConn *c = &w->conns[i];

      if (now_phase == SB_PHASE_QUIT)
        sb_conn_quit (w, c);
      else if (now_phase != SB_PHASE_RUN || c->state != SB_CONN_OPEN || !c->registered)
        continue;
      else if (w->opts->mode == SB_MODE_REGISTER)
        fill_window (w, c);
      else if (c->caller != NULL && c->peer->registered)
        start_call (w, c);
    }
}

/* Give up on what took longer than --timeout. */
static void
tick (SbWorker *w,
      int64_t   now)
{
  int64_t limit = (int64_t) (w->opts->timeout * 1e9);

  for (unsigned i = 0; i < w->n_conns; i++)
    {
      SbConn *c = &w->conns[i];

      if (c->state != SB_CONN_OPEN)
        continue;
      for (unsigned s = 0; s < slots (w) && c->inflight > 0; s++)
        if (c->sent_at[s] != 0 && now - c->sent_at[s] > limit)
          {
            c->sent_at[s] = 0;
            c->inflight--;
            w->stats.errors[SB_ERR_TIMEOUT]++;
            setup_failed (w, c);
            if (w->opts->mode == SB_MODE_REGISTER)
              fill_window (w, c);
          }
      if (c->caller != NULL && c->caller->state != CALLER_IDLE &&
          now - c->caller->step_at > limit)
        {
          w->stats.errors[SB_ERR_TIMEOUT]++;
          call_over (w, c);
        }
    }
}

void *
sb_worker_main (void *data)
{
  SbWorker *w = data;
  struct epoll_event events[512];
  int64_t next_tick = 0;

  for (;;)
    {
      int now_phase = phase (w);
      int64_t now = sb_now ();
      int n;

      if (now_phase != w->seen_phase)
        phase_changed (w, now_phase);
      if (now_phase == SB_PHASE_QUIT &&
          (w->live == 0 || now > atomic_load (&w->shared->quit_deadline)))
        break;
      if (now_phase == SB_PHASE_SETUP)
        while (w->connecting < w->opts->burst && w->next_connect < w->n_conns)
          sb_conn_start (w, &w->conns[w->next_connect++]);
      sb_worker_flush (w);

      n = epoll_wait (w->epfd, events, 512, 10);
      for (int i = 0; i < n; i++)
        {
          SbConn *c = events[i].data.ptr;

          if (c->fd >= 0)
            sb_conn_event (w, c, events[i].events);
        }
      sb_worker_flush (w);

      if (now >= next_tick)
        {
          tick (w, now);
          sb_worker_flush (w);
          next_tick = now + TICK_NS;
        }
    }

  for (unsigned i = 0; i < w->n_conns; i++)
    sb_conn_close (w, &w->conns[i], -1);
  return NULL;
}
