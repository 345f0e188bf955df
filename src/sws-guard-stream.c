/* sws-guard-stream.c: a connection stream that caps unfinished WebSocket messages
 *
 * It also counts the bytes that reach the socket, so that the flow can
 * tell how much libsoup still holds for a peer that does not read: 3.2
 * queues outgoing frames without bound and does not say how many.
 *
 * libsoup 3.2 limits each WebSocket frame but not a message reassembled
 * from many fragments: a peer could grow our memory without end by never
 * sending the final fragment. The transport resets this counter each time
 * a whole message (or a pong) is delivered, so what it counts is exactly
 * what libsoup is holding for an unfinished message, plus frame overhead.
 */

#define G_LOG_DOMAIN "sws-transport"

#include "config.h"

#include "sws-guard-stream.h"

#define SWS_TYPE_GUARD_INPUT (sws_guard_input_get_type ())
G_DECLARE_FINAL_TYPE (SwsGuardInput, sws_guard_input, SWS, GUARD_INPUT, GFilterInputStream)

struct _SwsGuardInput
{
  GFilterInputStream parent_instance;

  gsize limit;
  gsize pending;
};

static void sws_guard_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SwsGuardInput, sws_guard_input, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      sws_guard_input_pollable_init))

static GPollableInputStream *
base_of (gpointer self)
{
  return G_POLLABLE_INPUT_STREAM (g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self)));
}

static gboolean
account (SwsGuardInput  *self,
         gssize          count,
         GError        **error)
{
  if (count <= 0)
    return TRUE;
  self->pending += (gsize) count;
  if (self->pending <= self->limit)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               "WebSocket message larger than %" G_GSIZE_FORMAT " bytes", self->limit);
  return FALSE;
}

static gssize
sws_guard_input_read (GInputStream  *stream,
                      void          *buffer,
                      gsize          count,
                      GCancellable  *cancellable,
                      GError       **error)
{
  SwsGuardInput *self = SWS_GUARD_INPUT (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n = g_input_stream_read (base, buffer, count, cancellable, error);

  return account (self, n, error) ? n : -1;
}

static gboolean
sws_guard_input_can_poll (GPollableInputStream *stream)
{
  return g_pollable_input_stream_can_poll (base_of (stream));
}

static gboolean
sws_guard_input_is_readable (GPollableInputStream *stream)
{
  return g_pollable_input_stream_is_readable (base_of (stream));
}

static GSource *
sws_guard_input_create_source (GPollableInputStream *stream,
                               GCancellable         *cancellable)
{
  return g_pollable_input_stream_create_source (base_of (stream), cancellable);
}

static gssize
sws_guard_input_read_nonblocking (GPollableInputStream  *stream,
                                  void                  *buffer,
                                  gsize                  count,
                                  GError               **error)
{
  SwsGuardInput *self = SWS_GUARD_INPUT (stream);
  gssize n = g_pollable_input_stream_read_nonblocking (base_of (stream), buffer, count,
                                                       NULL, error);

  return account (self, n, error) ? n : -1;
}

static void
sws_guard_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = sws_guard_input_can_poll;
  iface->is_readable = sws_guard_input_is_readable;
  iface->create_source = sws_guard_input_create_source;
  iface->read_nonblocking = sws_guard_input_read_nonblocking;
}

static void
sws_guard_input_class_init (SwsGuardInputClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = sws_guard_input_read;
}

static void
sws_guard_input_init (SwsGuardInput *self)
{
}

/* ---- output: counting what reaches the socket ---------------------------- */

#define SWS_TYPE_GUARD_OUTPUT (sws_guard_output_get_type ())
G_DECLARE_FINAL_TYPE (SwsGuardOutput, sws_guard_output, SWS, GUARD_OUTPUT, GFilterOutputStream)

struct _SwsGuardOutput
{
  GFilterOutputStream parent_instance;

  guint64 written;
};

static void sws_guard_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SwsGuardOutput, sws_guard_output, G_TYPE_FILTER_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      sws_guard_output_pollable_init))

static GPollableOutputStream *
output_base_of (gpointer self)
{
  return G_POLLABLE_OUTPUT_STREAM (g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self)));
}

static gssize
sws_guard_output_write (GOutputStream  *stream,
                        const void     *buffer,
                        gsize           count,
                        GCancellable   *cancellable,
                        GError        **error)
{
  SwsGuardOutput *self = SWS_GUARD_OUTPUT (stream);
  gssize n = g_output_stream_write (G_OUTPUT_STREAM (output_base_of (stream)), buffer, count,
                                    cancellable, error);

  if (n > 0)
    self->written += (guint64) n;
  return n;
}

static gboolean
sws_guard_output_flush (GOutputStream  *stream,
                        GCancellable   *cancellable,
                        GError        **error)
{
  return g_output_stream_flush (G_OUTPUT_STREAM (output_base_of (stream)), cancellable, error);
}

static gboolean
sws_guard_output_can_poll (GPollableOutputStream *stream)
{
  return g_pollable_output_stream_can_poll (output_base_of (stream));
}

static gboolean
sws_guard_output_is_writable (GPollableOutputStream *stream)
{
  return g_pollable_output_stream_is_writable (output_base_of (stream));
}

static GSource *
sws_guard_output_create_source (GPollableOutputStream *stream,
                                GCancellable          *cancellable)
{
  return g_pollable_output_stream_create_source (output_base_of (stream), cancellable);
}

static gssize
sws_guard_output_write_nonblocking (GPollableOutputStream  *stream,
                                    const void             *buffer,
                                    gsize                   count,
                                    GError                **error)
{
  SwsGuardOutput *self = SWS_GUARD_OUTPUT (stream);
  gssize n = g_pollable_output_stream_write_nonblocking (output_base_of (stream), buffer, count,
                                                         NULL, error);

  if (n > 0)
    self->written += (guint64) n;
  return n;
}

static void
sws_guard_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = sws_guard_output_can_poll;
  iface->is_writable = sws_guard_output_is_writable;
  iface->create_source = sws_guard_output_create_source;
  iface->write_nonblocking = sws_guard_output_write_nonblocking;
}

static void
sws_guard_output_class_init (SwsGuardOutputClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = sws_guard_output_write;
  G_OUTPUT_STREAM_CLASS (klass)->flush = sws_guard_output_flush;
}

static void
sws_guard_output_init (SwsGuardOutput *self)
{
}

/* ---- the GIOStream ------------------------------------------------------ */

struct _SwsGuardStream
{
  GIOStream parent_instance;

  GIOStream *base;
  SwsGuardInput *input;
  SwsGuardOutput *output;
};

G_DEFINE_FINAL_TYPE (SwsGuardStream, sws_guard_stream, G_TYPE_IO_STREAM)

static GInputStream *
sws_guard_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (SWS_GUARD_STREAM (stream)->input);
}

static GOutputStream *
sws_guard_stream_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (SWS_GUARD_STREAM (stream)->output);
}

static gboolean
sws_guard_stream_close_fn (GIOStream     *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return g_io_stream_close (SWS_GUARD_STREAM (stream)->base, cancellable, error);
}

static void
on_base_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
sws_guard_stream_close_async (GIOStream           *stream,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_io_stream_close_async (SWS_GUARD_STREAM (stream)->base, io_priority, cancellable,
                           on_base_closed, task);
}

static gboolean
sws_guard_stream_close_finish (GIOStream     *stream,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sws_guard_stream_finalize (GObject *object)
{
  SwsGuardStream *self = SWS_GUARD_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (sws_guard_stream_parent_class)->finalize (object);
}

static void
sws_guard_stream_class_init (SwsGuardStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = sws_guard_stream_finalize;
  stream_class->get_input_stream = sws_guard_stream_get_input_stream;
  stream_class->get_output_stream = sws_guard_stream_get_output_stream;
  stream_class->close_fn = sws_guard_stream_close_fn;
  stream_class->close_async = sws_guard_stream_close_async;
  stream_class->close_finish = sws_guard_stream_close_finish;
}

static void
sws_guard_stream_init (SwsGuardStream *self)
{
}

GIOStream *
sws_guard_stream_new (GIOStream *base,
                      gsize      limit)
{
  SwsGuardStream *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (base)), NULL);

  self = g_object_new (SWS_TYPE_GUARD_STREAM, NULL);
  self->base = g_object_ref (base);
  self->input = g_object_new (SWS_TYPE_GUARD_INPUT,
                              "base-stream", g_io_stream_get_input_stream (base),
                              "close-base-stream", FALSE,
                              NULL);
  self->input->limit = limit;
  self->output = g_object_new (SWS_TYPE_GUARD_OUTPUT,
                               "base-stream", g_io_stream_get_output_stream (base),
                               "close-base-stream", FALSE,
                               NULL);
  return G_IO_STREAM (self);
}

void
sws_guard_stream_reset (SwsGuardStream *self)
{
  self->input->pending = 0;
}

guint64
sws_guard_stream_get_written (SwsGuardStream *self)
{
  return self->output->written;
}
