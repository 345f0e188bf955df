/* sws-call.c: one INVITE dialog through the proxy, as the desktop sees it
 *
 * The proxy drives the state; this object only records it and tells
 * observers (the D-Bus bridge, the HTTP API) through notify and
 * "state-changed". A hangup request goes back to the proxy through the
 * "hangup-requested" signal, so the call knows nothing about SIP.
 */

#define G_LOG_DOMAIN "sws-call"

#include "config.h"

#include "sws-call.h"

struct _SwsCall
{
  GObject parent_instance;

  guint64 id;
  char *call_id;
  char *caller;
  char *callee;
  SwsCallState state;
  SwsCallStateReason reason;
  gint64 start_time;
  gint64 answer_time;
  gint64 end_time;
  guint termination_code;
  SwsCallParty terminated_by;
  GWeakRef caller_registration;
  GWeakRef callee_registration;
};

G_DEFINE_FINAL_TYPE (SwsCall, sws_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CALL_ID,
  PROP_CALLER,
  PROP_CALLEE,
  PROP_STATE,
  PROP_STATE_REASON,
  PROP_START_TIME,
  PROP_ANSWER_TIME,
  PROP_END_TIME,
  PROP_TERMINATION_CODE,
  PROP_TERMINATED_BY,
  PROP_CALLER_REGISTRATION,
  PROP_CALLEE_REGISTRATION,
  N_PROPS
};

enum {
  SIGNAL_STATE_CHANGED,
  SIGNAL_HANGUP_REQUESTED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void
sws_call_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  SwsCall *self = SWS_CALL (object);

  switch (prop_id)
    {
    case PROP_CALL_ID:
      g_value_set_string (value, self->call_id);
      break;
    case PROP_CALLER:
      g_value_set_string (value, self->caller);
      break;
    case PROP_CALLEE:
      g_value_set_string (value, self->callee);
      break;
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_STATE_REASON:
      g_value_set_uint (value, self->reason);
      break;
    case PROP_START_TIME:
      g_value_set_uint64 (value, self->start_time);
      break;
    case PROP_ANSWER_TIME:
      g_value_set_uint64 (value, self->answer_time);
      break;
    case PROP_END_TIME:
      g_value_set_uint64 (value, self->end_time);
      break;
    case PROP_TERMINATION_CODE:
      g_value_set_uint (value, self->termination_code);
      break;
    case PROP_TERMINATED_BY:
      g_value_set_uint (value, self->terminated_by);
      break;
    case PROP_CALLER_REGISTRATION:
      g_value_take_object (value, g_weak_ref_get (&self->caller_registration));
      break;
    case PROP_CALLEE_REGISTRATION:
      g_value_take_object (value, g_weak_ref_get (&self->callee_registration));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sws_call_finalize (GObject *object)
{
  SwsCall *self = SWS_CALL (object);

  g_free (self->call_id);
  g_free (self->caller);
  g_free (self->callee);
  g_weak_ref_clear (&self->caller_registration);
  g_weak_ref_clear (&self->callee_registration);

  G_OBJECT_CLASS (sws_call_parent_class)->finalize (object);
}

static void
sws_call_class_init (SwsCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = sws_call_get_property;
  object_class->finalize = sws_call_finalize;

  props[PROP_CALL_ID] = g_param_spec_string ("call-id", NULL, NULL, NULL, ro);
  props[PROP_CALLER] = g_param_spec_string ("caller", NULL, NULL, NULL, ro);
  props[PROP_CALLEE] = g_param_spec_string ("callee", NULL, NULL, NULL, ro);
  props[PROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, 7, 0, ro);
  props[PROP_STATE_REASON] = g_param_spec_uint ("state-reason", NULL, NULL, 0, G_MAXUINT, 0, ro);
  props[PROP_START_TIME] = g_param_spec_uint64 ("start-time", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_ANSWER_TIME] = g_param_spec_uint64 ("answer-time", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_END_TIME] = g_param_spec_uint64 ("end-time", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_TERMINATION_CODE] =
    g_param_spec_uint ("termination-code", NULL, NULL, 0, 699, 0, ro);
  props[PROP_TERMINATED_BY] = g_param_spec_uint ("terminated-by", NULL, NULL, 0, 3, 0, ro);
  props[PROP_CALLER_REGISTRATION] =
    g_param_spec_object ("caller-registration", NULL, NULL, G_TYPE_OBJECT, ro);
  props[PROP_CALLEE_REGISTRATION] =
    g_param_spec_object ("callee-registration", NULL, NULL, G_TYPE_OBJECT, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * SwsCall::state-changed:
   * @old: the previous #SwsCallState
   * @new: the new #SwsCallState
   * @reason: a #SwsCallStateReason
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * SwsCall::hangup-requested:
   *
   * Someone asked for the call to end; the proxy acts on it.
   */
  signals[SIGNAL_HANGUP_REQUESTED] =
    g_signal_new ("hangup-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* N of the call's D-Bus path and its id in the HTTP API; never reused. */
static guint64 next_id = 1;

static void
sws_call_init (SwsCall *self)
{
  g_weak_ref_init (&self->caller_registration, NULL);
  g_weak_ref_init (&self->callee_registration, NULL);
}

SwsCall *
sws_call_new (const char *call_id,
              const char *caller,
              const char *callee)
{
  SwsCall *self = g_object_new (SWS_TYPE_CALL, NULL);

  self->id = next_id++;
  self->call_id = g_strdup (call_id);
  self->caller = g_strdup (caller);
  self->callee = g_strdup (callee);
  self->state = SWS_CALL_STATE_DIALING;
  self->reason = SWS_CALL_REASON_OUTGOING_STARTED;
  self->start_time = g_get_real_time ();
  return self;
}

guint64
sws_call_get_id (SwsCall *self)
{
  return self->id;
}

const char *
sws_call_get_call_id (SwsCall *self)
{
  return self->call_id;
}

const char *
sws_call_get_caller (SwsCall *self)
{
  return self->caller;
}

const char *
sws_call_get_callee (SwsCall *self)
{
  return self->callee;
}

SwsCallState
sws_call_get_state (SwsCall *self)
{
  return self->state;
}

SwsCallStateReason
sws_call_get_state_reason (SwsCall *self)
{
  return self->reason;
}

gint64
sws_call_get_start_time (SwsCall *self)
{
  return self->start_time;
}

gint64
sws_call_get_answer_time (SwsCall *self)
{
  return self->answer_time;
}

gint64
sws_call_get_end_time (SwsCall *self)
{
  return self->end_time;
}

guint
sws_call_get_termination_code (SwsCall *self)
{
  return self->termination_code;
}

SwsCallParty
sws_call_get_terminated_by (SwsCall *self)
{
  return self->terminated_by;
}

GObject *
sws_call_get_caller_registration (SwsCall *self)
{
  GObject *obj = g_weak_ref_get (&self->caller_registration);

  /* Callers only compare or map it; the registrar keeps it alive. */
  if (obj != NULL)
    g_object_unref (obj);
  return obj;
}

GObject *
sws_call_get_callee_registration (SwsCall *self)
{
  GObject *obj = g_weak_ref_get (&self->callee_registration);

  if (obj != NULL)
    g_object_unref (obj);
  return obj;
}

gboolean
sws_call_is_terminated (SwsCall *self)
{
  return self->state == SWS_CALL_STATE_TERMINATED;
}

static int
rank (SwsCallState state)
{
  switch (state)
    {
    case SWS_CALL_STATE_DIALING:
      return 1;
    case SWS_CALL_STATE_RINGING_OUT:
      return 2;
    case SWS_CALL_STATE_ACTIVE:
    case SWS_CALL_STATE_HELD:
      return 3;
    case SWS_CALL_STATE_TERMINATED:
      return 4;
    case SWS_CALL_STATE_UNKNOWN:
    default:
      return 0;
    }
}

void
sws_call_set_state (SwsCall            *self,
                    SwsCallState        state,
                    SwsCallStateReason  reason)
{
  SwsCallState old = self->state;

  g_return_if_fail (SWS_IS_CALL (self));

  if (old == state || old == SWS_CALL_STATE_TERMINATED)
    return;
  /* Held and active may alternate; nothing else goes backwards. */
  if (rank (state) < rank (old))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->state = state;
  self->reason = reason;
  if (state == SWS_CALL_STATE_ACTIVE && self->answer_time == 0)
    {
      self->answer_time = g_get_real_time ();
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ANSWER_TIME]);
    }
  if (state == SWS_CALL_STATE_TERMINATED)
    {
      self->end_time = g_get_real_time ();
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_TIME]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE_REASON]);
  g_object_thaw_notify (G_OBJECT (self));

  g_debug ("call %s: state %u -> %u (reason %u)", self->call_id, old, state, reason);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (guint) old, (guint) state,
                 (guint) reason);
}

void
sws_call_terminate (SwsCall            *self,
                    SwsCallStateReason  reason,
                    guint               code,
                    SwsCallParty        by)
{
  g_return_if_fail (SWS_IS_CALL (self));

  if (self->state == SWS_CALL_STATE_TERMINATED)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  if (code != 0 && self->termination_code == 0)
    {
      self->termination_code = code;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TERMINATION_CODE]);
    }
  self->terminated_by = by;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TERMINATED_BY]);
  g_object_thaw_notify (G_OBJECT (self));
  sws_call_set_state (self, SWS_CALL_STATE_TERMINATED, reason);
}

void
sws_call_set_registrations (SwsCall *self,
                            GObject *caller,
                            GObject *callee)
{
  if (caller != NULL)
    g_weak_ref_set (&self->caller_registration, caller);
  if (callee != NULL)
    {
      g_weak_ref_set (&self->callee_registration, callee);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALLEE_REGISTRATION]);
    }
}

gboolean
sws_call_hangup (SwsCall *self)
{
  g_return_val_if_fail (SWS_IS_CALL (self), FALSE);

  if (self->state == SWS_CALL_STATE_TERMINATED)
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_HANGUP_REQUESTED], 0);
  return TRUE;
}
