/* sipwsctl.c: look at and act on a running sipwsd over D-Bus */

#define G_LOG_DOMAIN "sipwsctl"

#include "config.h"

#include <locale.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "sws-dbus-generated.h"
#include "sws-ctl-monitor.h"
#include "sws-json.h"

#define BUS_NAME "org.sipws.Server1"
#define ROOT "/org/sipws/Server1"

enum {
  EXIT_OK = 0,
  EXIT_DBUS = 1,
  EXIT_USAGE = 2,
};

static gboolean opt_json;

typedef struct
{
  GDBusConnection *bus;
  GVariant *objects;   /* a{oa{sa{sv}}} from GetManagedObjects */
} Ctl;

static int
fail (GError *error)
{
  g_dbus_error_strip_remote_error (error);
  g_printerr ("sipwsctl: %s\n", error->message);
  return EXIT_DBUS;
}

static int
usage (GOptionContext *context, const char *problem)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  if (problem != NULL)
    g_printerr ("sipwsctl: %s\n\n", problem);
  g_printerr ("%s", help);
  return EXIT_USAGE;
}

/* ---- reading ------------------------------------------------------------ */

static GVariant *
call (Ctl         *ctl,
      const char  *path,
      const char  *interface,
      const char  *method,
      GVariant    *args,
      const char  *reply_type,
      GError     **error)
{
  return g_dbus_connection_call_sync (ctl->bus, BUS_NAME, path, interface, method, args,
                                      reply_type ? G_VARIANT_TYPE (reply_type) : NULL,
                                      G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000, NULL, error);
}

static gboolean
load_objects (Ctl *ctl, GError **error)
{
  g_autoptr(GVariant) reply = call (ctl, ROOT, "org.freedesktop.DBus.ObjectManager",
                                    "GetManagedObjects", NULL, "(a{oa{sa{sv}}})", error);

  if (reply == NULL)
    return FALSE;
  ctl->objects = g_variant_get_child_value (reply, 0);
  return TRUE;
}

/* Objects with `interface`, sorted by their number N. (transfer full) */
static GPtrArray *
objects_with (Ctl *ctl, const char *interface)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  GVariantIter iter;
  const char *path;
  GVariant *ifaces;

  g_variant_iter_init (&iter, ctl->objects);
  while (g_variant_iter_next (&iter, "{&o@a{sa{sv}}}", &path, &ifaces))
    {
      GVariant *props = g_variant_lookup_value (ifaces, interface, G_VARIANT_TYPE ("a{sv}"));

      if (props != NULL)
        g_ptr_array_add (list, g_variant_new ("(o@a{sv})", path, props));
      g_variant_unref (ifaces);
      g_clear_pointer (&props, g_variant_unref);
    }
  for (guint i = 0; i < list->len; i++)
    g_variant_ref_sink (list->pdata[i]);
  return list;
}

static guint
number_of (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash ? (guint) g_ascii_strtoull (slash + 1, NULL, 10) : 0;
}

static gint
by_number (gconstpointer a, gconstpointer b)
{
  const char *pa, *pb;

  g_variant_get_child (*(GVariant **) a, 0, "&o", &pa);
  g_variant_get_child (*(GVariant **) b, 0, "&o", &pb);
  return (gint) number_of (pa) - (gint) number_of (pb);
}

static const char *
str_prop (GVariant *props, const char *name)
{
  const char *value = NULL;

  if (!g_variant_lookup (props, name, "&s", &value))
    g_variant_lookup (props, name, "&o", &value);
  return value ? value : "";
}

static guint64
num_prop (GVariant *props, const char *name)
{
  g_autoptr(GVariant) v = g_variant_lookup_value (props, name, NULL);

  if (v == NULL)
    return 0;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (v);
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
    return g_variant_get_uint64 (v);
  return 0;
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = sws_json_to_string (node, TRUE);

  g_print ("%s", text);
}

static void
print_json_list (GPtrArray *list)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < list->len; i++)
    {
      const char *path;
      g_autoptr(GVariant) props = NULL;

      g_variant_get (list->pdata[i], "(&o@a{sv})", &path, &props);
      json_array_add_element (array, sws_json_object_from_properties (path, props));
    }
  json_node_set_array (node, array);
  print_json (node);
}

/* ---- human output ------------------------------------------------------- */

static char *
format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h%02" G_GINT64_FORMAT "m%02" G_GINT64_FORMAT "s",
                            seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (seconds >= 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m%02" G_GINT64_FORMAT "s",
                            seconds / 60, seconds % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
}

static char **
row_of (const char *first, ...)
{
  GPtrArray *row = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *cell = first; cell != NULL; cell = va_arg (args, const char *))
    g_ptr_array_add (row, g_strdup (cell));
  va_end (args);
  g_ptr_array_add (row, NULL);
  return (char **) g_ptr_array_free (row, FALSE);
}

/* Print rows of columns, each column as wide as its widest cell. */
static void
print_table (GPtrArray *rows)
{
  guint n_cols = rows->len > 0 ? g_strv_length (rows->pdata[0]) : 0;
  g_autofree guint *width = g_new0 (guint, n_cols + 1);

  for (guint r = 0; r < rows->len; r++)
    for (guint c = 0; c < n_cols; c++)
      width[c] = MAX (width[c], (guint) g_utf8_strlen (((char **) rows->pdata[r])[c], -1));
  for (guint r = 0; r < rows->len; r++)
    {
      GString *line = g_string_new (NULL);

      for (guint c = 0; c < n_cols; c++)
        {
          const char *cell = ((char **) rows->pdata[r])[c];

          g_string_append (line, cell);
          if (c + 1 < n_cols)
            for (guint pad = g_utf8_strlen (cell, -1); pad < width[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", g_strchomp (line->str));
      g_string_free (line, TRUE);
    }
}

/* ---- commands ----------------------------------------------------------- */

static int
cmd_status (Ctl *ctl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (ctl, ROOT, "org.freedesktop.DBus.Properties", "GetAll",
                                    g_variant_new ("(s)", "org.sipws.Server1.Manager"),
                                    "(a{sv})", &error);
  g_autoptr(GVariant) props = NULL;
  g_autofree const char **listen = NULL;
  g_autofree const char **domains = NULL;
  g_autofree char *uptime = NULL;
  g_autofree char *listen_text = NULL;
  g_autofree char *domains_text = NULL;

  if (reply == NULL)
    return fail (error);
  props = g_variant_get_child_value (reply, 0);
  if (opt_json)
    {
      g_autoptr(JsonNode) node = sws_json_object_from_properties (NULL, props);

      print_json (node);
      return EXIT_OK;
    }

  g_variant_lookup (props, "ListenUris", "^a&s", &listen);
  g_variant_lookup (props, "Domains", "^a&s", &domains);
  uptime = format_duration ((g_get_real_time () - (gint64) num_prop (props, "StartTime")) /
                            G_USEC_PER_SEC);
  listen_text = listen ? g_strjoinv (", ", (char **) listen) : g_strdup ("");
  domains_text = domains && domains[0] ? g_strjoinv (", ", (char **) domains)
                                       : g_strdup (_("(every domain)"));
  g_print ("%-15s %s\n", _("Version"), str_prop (props, "Version"));
  g_print ("%-15s %s\n", _("Uptime"), uptime);
  g_print ("%-15s %s\n", _("Listening"), listen_text);
  g_print ("%-15s %s\n", _("Domains"), domains_text);
  g_print ("%-15s %s\n", _("Log level"), str_prop (props, "LogLevel"));
  g_print ("%-15s %" G_GUINT64_FORMAT "\n", _("Connections"), num_prop (props, "ConnectionCount"));
  g_print ("%-15s %" G_GUINT64_FORMAT "\n", _("Registrations"),
           num_prop (props, "RegistrationCount"));
  g_print ("%-15s %" G_GUINT64_FORMAT "\n", _("Calls"), num_prop (props, "CallCount"));
  {
    g_autofree char *received = g_strdup_printf ("%" G_GUINT64_FORMAT, num_prop (props, "MessagesReceived"));
    g_autofree char *sent = g_strdup_printf ("%" G_GUINT64_FORMAT, num_prop (props, "MessagesSent"));
    g_autofree char *malformed = g_strdup_printf ("%" G_GUINT64_FORMAT, num_prop (props, "ParseErrors"));

    g_print ("%-15s ", _("Messages"));
    g_print (_("%s received, %s sent, %s malformed\n"), received, sent, malformed);
  }
  return EXIT_OK;
}

static void
print_registrations (GPtrArray *list)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gint64 now = g_get_real_time ();

  g_ptr_array_add (rows, row_of (_("N"), _("AOR"), _("CONTACT"), _("FROM"), _("EXPIRES IN"),
                                 _("USER AGENT"), NULL));
  for (guint i = 0; i < list->len; i++)
    {
      const char *path;
      g_autoptr(GVariant) p = NULL;
      char **row = g_new0 (char *, 7);

      g_variant_get (list->pdata[i], "(&o@a{sv})", &path, &p);
      row[0] = g_strdup_printf ("%u", number_of (path));
      row[1] = g_strdup (str_prop (p, "Aor"));
      row[2] = g_strdup (str_prop (p, "Contact"));
      row[3] = g_strdup (str_prop (p, "RemoteAddress"));
      row[4] = format_duration (((gint64) num_prop (p, "Expires") - now) / G_USEC_PER_SEC);
      row[5] = g_strdup (str_prop (p, "UserAgent"));
      g_ptr_array_add (rows, row);
    }
  print_table (rows);
}

static int
cmd_list (Ctl *ctl, const char *interface)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  if (!load_objects (ctl, &error))
    return fail (error);
  list = objects_with (ctl, interface);
  g_ptr_array_sort (list, by_number);
  if (opt_json)
    print_json_list (list);
  else if (g_str_equal (interface, "org.sipws.Server1.Registration"))
    {
      if (list->len == 0)
        g_print ("%s\n", _("No registrations."));
      else
        print_registrations (list);
    }
  else if (list->len == 0)
    g_print ("%s\n", _("No calls."));
  else
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      gint64 now = g_get_real_time ();

      g_ptr_array_add (rows, row_of (_("N"), _("STATE"), _("CALLER"), _("CALLEE"),
                                     _("DURATION"), _("CODE"), NULL));
      for (guint i = 0; i < list->len; i++)
        {
          const char *path;
          g_autoptr(GVariant) p = NULL;
          char **row = g_new0 (char *, 7);
          gint64 start, end;

          g_variant_get (list->pdata[i], "(&o@a{sv})", &path, &p);
          start = (gint64) num_prop (p, "AnswerTime");
          end = (gint64) num_prop (p, "EndTime");
          row[0] = g_strdup_printf ("%u", number_of (path));
          row[1] = g_strdup (sws_ctl_state_name ((guint) num_prop (p, "State")));
          row[2] = g_strdup (str_prop (p, "Caller"));
          row[3] = g_strdup (str_prop (p, "Callee"));
          row[4] = start ? format_duration (((end ? end : now) - start) / G_USEC_PER_SEC)
                         : g_strdup ("-");
          row[5] = num_prop (p, "TerminationCode")
                     ? g_strdup_printf ("%" G_GUINT64_FORMAT, num_prop (p, "TerminationCode"))
                     : g_strdup ("-");
          g_ptr_array_add (rows, row);
        }
      print_table (rows);
    }
  return EXIT_OK;
}

static int
cmd_lookup (Ctl *ctl, const char *aor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (ctl, ROOT, "org.sipws.Server1.Manager", "LookupAor",
                                    g_variant_new ("(s)", aor), "(ao)", &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree const char **paths = NULL;

  if (reply == NULL || !load_objects (ctl, &error))
    return fail (error);
  g_variant_get (reply, "(^a&o)", &paths);
  all = objects_with (ctl, "org.sipws.Server1.Registration");
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  for (guint i = 0; i < all->len; i++)
    {
      const char *path;

      g_variant_get_child (all->pdata[i], 0, "&o", &path);
      if (g_strv_contains (paths, path))
        g_ptr_array_add (found, g_variant_ref (all->pdata[i]));
    }
  g_ptr_array_sort (found, by_number);
  if (opt_json)
    print_json_list (found);
  else
    print_registrations (found);
  return EXIT_OK;
}

/* "3" or "/org/sipws/Server1/Call/3" */
static char *
object_path_for (const char *kind, const char *arg)
{
  guint64 n;

  if (g_variant_is_object_path (arg) && g_str_has_prefix (arg, ROOT "/"))
    return g_strdup (arg);
  if (g_ascii_string_to_unsigned (arg, 10, 1, G_MAXUINT32, &n, NULL))
    return g_strdup_printf (ROOT "/%s/%" G_GUINT64_FORMAT, kind, n);
  return NULL;
}

static int
cmd_act (Ctl *ctl, const char *kind, const char *arg, const char *interface, const char *method)
{
  g_autofree char *path = object_path_for (kind, arg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  if (path == NULL)
    {
      g_printerr (_("sipwsctl: “%s” is not a %s number or object path\n"), arg, kind);
      return EXIT_USAGE;
    }
  reply = call (ctl, path, interface, method, NULL, NULL, &error);
  if (reply == NULL)
    {
      /* The object is gone or never was: say so plainly. */
      if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
          g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
        {
          g_printerr (_("sipwsctl: there is no %s %s\n"), kind, arg);
          return EXIT_DBUS;
        }
      return fail (error);
    }
  return EXIT_OK;
}

static int
cmd_reload (Ctl *ctl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (ctl, ROOT, "org.sipws.Server1.Manager", "Reload", NULL,
                                    NULL, &error);

  return reply ? EXIT_OK : fail (error);
}

/* ---- main --------------------------------------------------------------- */

static gboolean
daemon_running (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus", "NameHasOwner",
                                 g_variant_new ("(s)", BUS_NAME), G_VARIANT_TYPE ("(b)"),
                                 G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  const char *command;
  guint want_args = 0;
  Ctl ctl = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, N_("Print JSON instead of text"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENT]"));
  g_option_context_set_summary (context, _("Look at and control a running sipwsd."));
  g_option_context_set_description (context,
    _("Commands:\n"
      "  status          the server: version, uptime, addresses, counters\n"
      "  registrations   every contact binding\n"
      "  calls           running calls and those that ended lately\n"
      "  lookup AOR      the bindings of an address-of-record\n"
      "  hangup CALL     end a call (its number or object path)\n"
      "  remove REG      drop a binding (its number or object path)\n"
      "  monitor         print registration and call events until interrupted\n"
      "  reload          re-read the configuration file\n\n"
      "Exit status: 0 success, 1 the daemon refused or is not running, 2 bad usage.\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc < 2)
    return usage (context, _("a command is needed"));

  command = argv[1];
  if (g_str_equal (command, "lookup") || g_str_equal (command, "hangup") ||
      g_str_equal (command, "remove"))
    want_args = 1;
  else if (!g_strv_contains ((const char *[]) { "status", "registrations", "calls", "monitor",
                                                "reload", NULL }, command))
    {
      g_autofree char *msg = g_strdup_printf (_("unknown command “%s”"), command);

      return usage (context, msg);
    }
  if ((guint) argc - 2 != want_args)
    {
      g_autofree char *msg = g_strdup_printf (want_args ? _("“%s” needs one argument")
                                                        : _("“%s” takes no argument"),
                                              command);

      return usage (context, msg);
    }

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr (_("sipwsctl: no session bus: %s\n"), error->message);
      return EXIT_DBUS;
    }
  if (!daemon_running (bus))
    {
      g_printerr ("%s\n", _("sipwsd is not running (nothing owns org.sipws.Server1 on the "
                            "session bus)"));
      return EXIT_DBUS;
    }

  ctl.bus = bus;
  if (g_str_equal (command, "status"))
    status = cmd_status (&ctl);
  else if (g_str_equal (command, "registrations"))
    status = cmd_list (&ctl, "org.sipws.Server1.Registration");
  else if (g_str_equal (command, "calls"))
    status = cmd_list (&ctl, "org.sipws.Server1.Call");
  else if (g_str_equal (command, "lookup"))
    status = cmd_lookup (&ctl, argv[2]);
  else if (g_str_equal (command, "hangup"))
    status = cmd_act (&ctl, "Call", argv[2], "org.sipws.Server1.Call", "Hangup");
  else if (g_str_equal (command, "remove"))
    status = cmd_act (&ctl, "Registration", argv[2], "org.sipws.Server1.Registration", "Remove");
  else if (g_str_equal (command, "reload"))
    status = cmd_reload (&ctl);
  else
    status = sws_ctl_monitor (bus, opt_json);

  g_clear_pointer (&ctl.objects, g_variant_unref);
  return status;
}
