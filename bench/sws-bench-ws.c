/* sws-bench-ws.c: the WebSocket client side of sws-bench (RFC 6455)
 *
 * Non-blocking sockets on the worker's epoll set. A connection does the
 * HTTP upgrade offering the "sip" subprotocol (RFC 7118 §4) and insists
 * that the 101 echoes it and carries the right Sec-WebSocket-Accept. After
 * that it sends one SIP message per masked text frame and unframes what the
 * server sends: several frames per read, frames split across reads,
 * fragmented messages, pings (answered) and close frames.
 *
 * Reads land in the worker's scratch buffer and are consumed from there;
 * only a partial frame is copied into the connection, so 20,000 idle
 * connections cost the tool next to nothing.
 */

#include "sws-bench.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_HANDSHAKE 8192
#define MAX_MESSAGE (256 * 1024)

enum {
  OP_CONTINUATION = 0x0,
  OP_TEXT = 0x1,
  OP_BINARY = 0x2,
  OP_CLOSE = 0x8,
  OP_PING = 0x9,
  OP_PONG = 0xa,
};

/* ---- buffers ------------------------------------------------------------ */

void
sb_buf_append (SbBuf      *b,
               const void *data,
               size_t      len)
{
  if (b->len + len > b->cap)
    {
      size_t cap = b->cap ? b->cap : 1024;

      while (cap < b->len + len)
        cap *= 2;
      b->data = realloc (b->data, cap);
      if (b->data == NULL)
        abort ();
      b->cap = cap;
    }
  memcpy (b->data + b->len, data, len);
  b->len += len;
}

void
sb_buf_clear (SbBuf *b)
{
  free (b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

static void
buf_consume (SbBuf  *b,
             size_t  n)
{
  if (n >= b->len)
    {
      /* Most connections are idle most of the time: give it back. */
      sb_buf_clear (b);
      return;
    }
  memmove (b->data, b->data + n, b->len - n);
  b->len -= n;
}

/* ---- epoll -------------------------------------------------------------- */

static void
watch (SbWorker *w,
       SbConn   *c,
       int       op,
       bool      out)
{
  struct epoll_event ev = { 0 };

  ev.events = EPOLLIN | EPOLLRDHUP | (out ? EPOLLOUT : 0);
  ev.data.ptr = c;
  if (epoll_ctl (w->epfd, op, c->fd, &ev) == 0)
    c->want_out = out;
}

void
sb_conn_close (SbWorker *w,
               SbConn   *c,
               int       error)
{
  bool was_open = c->state == SB_CONN_OPEN || c->state == SB_CONN_CLOSING;

  if (c->fd < 0)
    return;
  if (c->state == SB_CONN_CONNECTING || c->state == SB_CONN_HANDSHAKE)
    w->connecting--;
  if (error >= 0)
    w->stats.errors[error]++;
  epoll_ctl (w->epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close (c->fd);
  c->fd = -1;
  c->state = SB_CONN_CLOSED;
  w->live--;
  sb_buf_clear (&c->in);
  sb_buf_clear (&c->out);
  sb_buf_clear (&c->frag);
  if (was_open)
    sb_ua_closed (w, c);
  else if (!c->failed)
    {
      c->failed = true;
      atomic_fetch_add (&w->shared->failed, 1);
    }
}

/* ---- connecting --------------------------------------------------------- */

static bool
connect_failed (SbWorker *w,
                SbConn   *c)
{
  c->state = SB_CONN_CLOSED;
  c->failed = true;
  w->stats.errors[SB_ERR_CONNECT]++;
  atomic_fetch_add (&w->shared->failed, 1);
  return false;
}

bool
sb_conn_start (SbWorker *w,
               SbConn   *c)
{
  const SbOptions *o = w->opts;
  int one = 1;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0)
    {
      return connect_failed (w, c);
    }
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  /* One loopback source address has ~28k ephemeral ports towards one
   * server port, minus TIME_WAIT leftovers of earlier runs: spread big
   * runs over 127.0.0.2, .3, ... The port is picked at connect() time. */
  if (o->source.s_addr != 0 || o->sources > 0)
    {
      struct sockaddr_in src = { 0 };

      src.sin_family = AF_INET;
      if (o->source.s_addr != 0)
        src.sin_addr = o->source;
      else
        src.sin_addr.s_addr = htonl (0x7f000002u + c->index % o->sources);
#ifdef IP_BIND_ADDRESS_NO_PORT
      setsockopt (fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
      if (bind (fd, (struct sockaddr *) &src, sizeof src) != 0)
        {
          close (fd);
          return connect_failed (w, c);
        }
    }

  if (connect (fd, (const struct sockaddr *) &o->addr, sizeof o->addr) != 0 &&
      errno != EINPROGRESS)
    {
      close (fd);
      return connect_failed (w, c);
    }
  c->fd = fd;
  c->state = SB_CONN_CONNECTING;
  w->connecting++;
  w->live++;
  watch (w, c, EPOLL_CTL_ADD, true);
  return true;
}

static void
send_handshake (SbWorker *w,
                SbConn   *c)
{
  const SbOptions *o = w->opts;
  guchar nonce[16];
  g_autofree char *key = NULL;
  char req[1024];
  int n;

  for (unsigned i = 0; i < sizeof nonce; i += 8)
    {
      uint64_t r = sb_random (w);

      memcpy (nonce + i, &r, 8);
    }
  key = g_base64_encode (nonce, sizeof nonce);
  g_strlcpy (c->ws_key, key, sizeof c->ws_key);
  n = snprintf (req, sizeof req,
                "GET %s HTTP/1.1\r\n"
                "Host: %s\r\n"
                "Upgrade: websocket\r\n"
                "Connection: Upgrade\r\n"
                "Sec-WebSocket-Key: %s\r\n"
                "Sec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: sip\r\n"
                "User-Agent: sws-bench\r\n"
                "\r\n",
                o->path, o->host_port, c->ws_key);
  c->state = SB_CONN_HANDSHAKE;
  sb_buf_append (&c->out, req, (size_t) n);
}

static bool
header_is (const char *line,
           size_t      len,
           const char *name,
           SbStr      *value)
{
  size_t n = strlen (name);

  if (len <= n || strncasecmp (line, name, n) != 0 || line[n] != ':')
    return false;
  line += n + 1;
  len -= n + 1;
  while (len > 0 && (*line == ' ' || *line == '\t'))
    line++, len--;
  while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
    len--;
  value->p = line;
  value->len = len;
  return true;
}

/* The 101 must echo "sip" (browsers abort otherwise) and prove that the
 * server read our key. */
static bool
check_handshake (SbConn     *c,
                 const char *data,
                 size_t      len)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *accept = NULL;
  guint8 digest[20];
  gsize dlen = sizeof digest;
  bool protocol = false, accepted = false;
  const char *p = data, *end = data + len;

  if (len < 12 || (memcmp (data, "HTTP/1.1 101", 12) != 0 && memcmp (data, "HTTP/1.0 101", 12) != 0))
    return false;

  g_checksum_update (sha1, (const guchar *) c->ws_key, (gssize) strlen (c->ws_key));
  g_checksum_update (sha1, (const guchar *) WS_GUID, (gssize) strlen (WS_GUID));
  g_checksum_get_digest (sha1, digest, &dlen);
  accept = g_base64_encode (digest, dlen);

  while (p < end)
    {
      const char *eol = memchr (p, '\n', (size_t) (end - p));
      size_t l = (size_t) ((eol ? eol : end) - p);
      SbStr v;

      if (l > 0 && p[l - 1] == '\r')
        l--;
      if (header_is (p, l, "Sec-WebSocket-Protocol", &v))
        protocol = v.len == 3 && strncasecmp (v.p, "sip", 3) == 0;
      else if (header_is (p, l, "Sec-WebSocket-Accept", &v))
        accepted = v.len == strlen (accept) && memcmp (v.p, accept, v.len) == 0;
      if (eol == NULL)
        break;
      p = eol + 1;
    }
  return protocol && accepted;
}

/* ---- frames ------------------------------------------------------------- */

static void
send_frame (SbWorker   *w,
            SbConn     *c,
            int         opcode,
            const char *payload,
            size_t      len)
{
  unsigned char hdr[14];
  size_t h = 0, start;
  uint64_t r = sb_random (w);
  unsigned char mask[4];
  unsigned char *p;

  if (c->fd < 0)
    return;
  memcpy (mask, &r, 4);
  hdr[h++] = (unsigned char) (0x80 | opcode);
  if (len < 126)
    hdr[h++] = (unsigned char) (0x80 | len);
  else if (len < 65536)
    {
      hdr[h++] = 0x80 | 126;
      hdr[h++] = (unsigned char) (len >> 8);
      hdr[h++] = (unsigned char) len;
    }
  else
    {
      hdr[h++] = 0x80 | 127;
      for (int i = 7; i >= 0; i--)
        hdr[h++] = (unsigned char) ((uint64_t) len >> (8 * i));
    }
  memcpy (hdr + h, mask, 4);
  h += 4;

  /* Clients must mask every frame (RFC 6455 §5.3). */
  sb_buf_append (&c->out, hdr, h);
  start = c->out.len;
  sb_buf_append (&c->out, payload, len);
  p = (unsigned char *) c->out.data + start;
  for (size_t i = 0; i < len; i++)
    p[i] ^= mask[i & 3];

  if (!c->dirty)
    {
      c->dirty = true;
      w->dirty[w->n_dirty++] = c;
    }
}

void
sb_conn_send (SbWorker   *w,
              SbConn     *c,
              const char *data,
              size_t      len)
{
  if (c->state != SB_CONN_OPEN)
    return;
  if (w->opts->trace > 0)
    sb_trace (w, c, true, data, len);
  send_frame (w, c, OP_TEXT, data, len);
  w->stats.sent++;
}

/* Orderly goodbye: a close frame with 1000; the server's reply or EOF
 * ends it (sb_worker_main gives up after a deadline). */
void
sb_conn_quit (SbWorker *w,
              SbConn   *c)
{
  static const char normal[2] = { 0x03, (char) 0xe8 };

  if (c->state == SB_CONN_OPEN)
    {
      send_frame (w, c, OP_CLOSE, normal, sizeof normal);
      c->state = SB_CONN_CLOSING;
    }
  else if (c->state != SB_CONN_CLOSING)
    sb_conn_close (w, c, -1);
}

static void
deliver (SbWorker *w,
         SbConn   *c,
         int       opcode,
         char     *payload,
         size_t    len)
{
  switch (opcode)
    {
    case OP_TEXT:
    case OP_BINARY:
      w->stats.received++;
      if (w->opts->trace > 0)
        sb_trace (w, c, false, payload, len);
      sb_ua_message (w, c, payload, len);
      break;
    case OP_PING:
      if (c->state == SB_CONN_OPEN)
        send_frame (w, c, OP_PONG, payload, len);
      break;
    case OP_PONG:
      break;
    case OP_CLOSE:
      if (c->state == SB_CONN_OPEN)
        {
          send_frame (w, c, OP_CLOSE, payload, len < 2 ? len : 2);
          sb_worker_flush (w);
          sb_conn_close (w, c, SB_ERR_CLOSED);
        }
      else
        sb_conn_close (w, c, -1);
      break;
    default:
      sb_conn_close (w, c, SB_ERR_PROTOCOL);
      break;
    }
}

/* Consume whole frames from data; returns how much was used. */
static size_t
consume_frames (SbWorker *w,
                SbConn   *c,
                char     *data,
                size_t    len)
{
  size_t used = 0;

  while (c->fd >= 0 && len - used >= 2)
    {
      unsigned char *p = (unsigned char *) data + used;
      size_t avail = len - used, h = 2;
      bool fin = p[0] & 0x80, masked = p[1] & 0x80;
      int opcode = p[0] & 0x0f;
      uint64_t plen = p[1] & 0x7f;
      char *payload;

      if (plen == 126)
        {
          if (avail < 4)
            break;
          plen = ((uint64_t) p[2] << 8) | p[3];
          h = 4;
        }
      else if (plen == 127)
        {
          if (avail < 10)
            break;
          plen = 0;
          for (int i = 0; i < 8; i++)
            plen = (plen << 8) | p[2 + i];
          h = 10;
        }
      if (plen > MAX_MESSAGE)
        {
          sb_conn_close (w, c, SB_ERR_PROTOCOL);
          return len;
        }
      if (masked)
        h += 4;
      if (avail < h + plen)
        break;

      payload = (char *) p + h;
      if (masked)   /* servers must not mask; cope anyway */
        for (uint64_t i = 0; i < plen; i++)
          payload[i] ^= p[h - 4 + (i & 3)];
      used += h + (size_t) plen;

      if (opcode >= OP_CLOSE)
        deliver (w, c, opcode, payload, (size_t) plen);
      else if (opcode == OP_CONTINUATION || !fin)
        {
          if (opcode != OP_CONTINUATION)
            {
              sb_buf_clear (&c->frag);
              c->frag_opcode = opcode;
            }
          sb_buf_append (&c->frag, payload, (size_t) plen);
          if (c->frag.len > MAX_MESSAGE)
            {
              sb_conn_close (w, c, SB_ERR_PROTOCOL);
              return len;
            }
          if (fin)
            {
              SbBuf whole = c->frag;

              c->frag = (SbBuf) { 0 };
              deliver (w, c, c->frag_opcode, whole.data, whole.len);
              free (whole.data);
            }
        }
      else
        deliver (w, c, opcode, payload, (size_t) plen);
    }
  return used;
}

static size_t
consume (SbWorker *w,
         SbConn   *c,
         char     *data,
         size_t    len)
{
  size_t used = 0;

  if (c->state == SB_CONN_HANDSHAKE)
    {
      const char *end = memmem (data, len, "\r\n\r\n", 4);

      if (end == NULL)
        {
          if (len > MAX_HANDSHAKE)
            sb_conn_close (w, c, SB_ERR_HANDSHAKE);
          return 0;
        }
      used = (size_t) (end - data) + 4;
      if (!check_handshake (c, data, used))
        {
          sb_conn_close (w, c, SB_ERR_HANDSHAKE);
          return len;
        }
      c->state = SB_CONN_OPEN;
      w->connecting--;
      atomic_fetch_add (&w->shared->open, 1);
      sb_ua_opened (w, c);
    }
  if (c->fd < 0)
    return len;
  return used + consume_frames (w, c, data + used, len - used);
}

static void
on_readable (SbWorker *w,
             SbConn   *c)
{
  for (;;)
    {
      ssize_t n = read (c->fd, w->rbuf, sizeof w->rbuf);
      char *data;
      size_t len, used;
      bool in_conn;

      if (n == 0)
        {
          sb_conn_close (w, c, c->state == SB_CONN_CLOSING ? -1 : SB_ERR_CLOSED);
          return;
        }
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno != EAGAIN && errno != EWOULDBLOCK)
            sb_conn_close (w, c, c->state == SB_CONN_CLOSING ? -1 : SB_ERR_CLOSED);
          return;
        }

      /* A partial frame from last time goes first. */
      in_conn = c->in.len > 0;
      if (in_conn)
        {
          sb_buf_append (&c->in, w->rbuf, (size_t) n);
          data = c->in.data;
          len = c->in.len;
        }
      else
        {
          data = w->rbuf;
          len = (size_t) n;
        }
      used = consume (w, c, data, len);
      if (c->fd < 0)
        return;
      if (in_conn)
        buf_consume (&c->in, used);
      else if (used < len)
        sb_buf_append (&c->in, data + used, len - used);
      if ((size_t) n < sizeof w->rbuf)
        return;
    }
}

static void
flush_one (SbWorker *w,
           SbConn   *c)
{
  size_t off = 0;

  while (off < c->out.len)
    {
      ssize_t n = write (c->fd, c->out.data + off, c->out.len - off);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
          buf_consume (&c->out, off);
          sb_conn_close (w, c, c->state == SB_CONN_CLOSING ? -1 : SB_ERR_CLOSED);
          return;
        }
      off += (size_t) n;
    }
  if (off == c->out.len)
    {
      /* Keep a small buffer for the next message; drop a big one. */
      if (c->out.cap > 16384)
        sb_buf_clear (&c->out);
      c->out.len = 0;
    }
  else
    buf_consume (&c->out, off);
  if ((c->out.len > 0) != c->want_out)
    watch (w, c, EPOLL_CTL_MOD, c->out.len > 0);
}

void
sb_worker_flush (SbWorker *w)
{
  /* Entries may be added while flushing (a close frame answered). */
  for (unsigned i = 0; i < w->n_dirty; i++)
    {
      SbConn *c = w->dirty[i];

      c->dirty = false;
      if (c->fd >= 0 && c->state != SB_CONN_CONNECTING)
        flush_one (w, c);
    }
  w->n_dirty = 0;
}

void
sb_conn_event (SbWorker *w,
               SbConn   *c,
               uint32_t  events)
{
  if (c->state == SB_CONN_CONNECTING)
    {
      int err = 0;
      socklen_t elen = sizeof err;

      if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0)
        return;
      getsockopt (c->fd, SOL_SOCKET, SO_ERROR, &err, &elen);
      if (err != 0 || (events & (EPOLLERR | EPOLLHUP)))
        {
          sb_conn_close (w, c, SB_ERR_CONNECT);
          return;
        }
      send_handshake (w, c);
      flush_one (w, c);
      return;
    }
  if (events & EPOLLOUT)
    flush_one (w, c);
  if (c->fd >= 0 && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
    on_readable (w, c);
}
