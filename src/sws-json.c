/* sws-json.c: JSON for the objects of the D-Bus API
 *
 * The JSON shape is derived from the D-Bus one instead of being written a
 * second time, so that `sipwsctl --json`, the HTTP API and the XML cannot
 * drift apart: a property added to the XML shows up everywhere.
 */

#include "config.h"

#include "sws-json.h"

char *
sws_json_key_from_property (const char *name)
{
  GString *key;

  g_return_val_if_fail (name != NULL, NULL);

  key = g_string_sized_new (strlen (name) + 4);
  for (const char *p = name; *p != '\0'; p++)
    {
      /* "CallId" is two words, but "CSeq" is one: an uppercase run is not
       * split, only a lowercase-to-uppercase step is. */
      if (g_ascii_isupper (*p) && p > name &&
          (g_ascii_islower (p[-1]) || g_ascii_isdigit (p[-1])))
        g_string_append_c (key, '_');
      g_string_append_c (key, g_ascii_tolower (*p));
    }
  return g_string_free (key, FALSE);
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static JsonNode *
array_node (GVariant *value)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  GVariantIter iter;
  GVariant *child;

  g_variant_iter_init (&iter, value);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      json_array_add_element (array, sws_json_node_from_variant (child));
      g_variant_unref (child);
    }
  json_node_take_array (node, array);
  return node;
}

/* a{sv} and other string-keyed dictionaries: keys stay as they are, since
 * they are data (SIP header names, say), not property names. */
static JsonNode *
dict_node (GVariant *value)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  GVariantIter iter;
  GVariant *entry;

  g_variant_iter_init (&iter, value);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) k = g_variant_get_child_value (entry, 0);
      g_autoptr(GVariant) v = g_variant_get_child_value (entry, 1);

      json_object_set_member (object, g_variant_get_string (k, NULL),
                              sws_json_node_from_variant (v));
      g_variant_unref (entry);
    }
  json_node_take_object (node, object);
  return node;
}

JsonNode *
sws_json_node_from_variant (GVariant *value)
{
  const GVariantType *type;
  JsonNode *node;

  g_return_val_if_fail (value != NULL, NULL);

  type = g_variant_get_type (value);
  if (g_variant_type_equal (type, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);

      return sws_json_node_from_variant (inner);
    }
  if (g_variant_type_equal (type, G_VARIANT_TYPE_OBJECT_PATH))
    {
      const char *path = g_variant_get_string (value, NULL);

      /* "/" is how D-Bus says "no object" in an `o` property. */
      if (g_str_equal (path, "/"))
        return json_node_new (JSON_NODE_NULL);
      return string_node (path);
    }
  if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING) ||
      g_variant_type_equal (type, G_VARIANT_TYPE_SIGNATURE))
    return string_node (g_variant_get_string (value, NULL));
  if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT64))
    {
      /* JSON readers take integers as int64: clamp rather than wrap. */
      guint64 n = g_variant_get_uint64 (value);

      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, (gint64) MIN (n, (guint64) G_MAXINT64));
      return node;
    }
  if (g_variant_type_is_maybe (type))
    {
      g_autoptr(GVariant) inner = g_variant_get_maybe (value);

      return inner ? sws_json_node_from_variant (inner) : json_node_new (JSON_NODE_NULL);
    }
  if (g_variant_type_is_array (type) &&
      g_variant_type_is_dict_entry (g_variant_type_element (type)) &&
      g_variant_type_equal (g_variant_type_key (g_variant_type_element (type)),
                            G_VARIANT_TYPE_STRING))
    return dict_node (value);
  /* Other arrays, tuples and lone dictionary entries: a JSON array. */
  if (g_variant_type_is_container (type))
    return array_node (value);

  /* Booleans, the other integers and doubles map one to one. */
  return json_gvariant_serialize (value);
}

JsonNode *
sws_json_object_from_properties (const char *object_path,
                                 GVariant   *properties)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (properties == NULL ||
                        g_variant_is_of_type (properties, G_VARIANT_TYPE_VARDICT), NULL);

  if (object_path != NULL)
    json_object_set_string_member (object, "path", object_path);
  if (properties != NULL)
    {
      GVariantIter iter;
      const char *name;
      GVariant *value;

      g_variant_iter_init (&iter, properties);
      while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
        {
          g_autofree char *key = sws_json_key_from_property (name);

          json_object_set_member (object, key, sws_json_node_from_variant (value));
          g_variant_unref (value);
        }
    }
  json_node_take_object (node, object);
  return node;
}

/* ---- names -------------------------------------------------------------- */

const char *
sws_json_call_state_name (guint state)
{
  /* ModemManager's MMCallState numbers, as the XML says. */
  switch (state)
    {
    case 1: return "dialing";
    case 2: return "ringing-out";
    case 4: return "active";
    case 5: return "held";
    case 7: return "terminated";
    default: return "unknown";
    }
}

const char *
sws_json_call_reason_name (guint reason)
{
  switch (reason)
    {
    case 1: return "outgoing-started";
    case 3: return "accepted";
    case 4: return "hung-up";
    case 5: return "refused-or-busy";
    case 6: return "error";
    case 10: return "cancelled";
    case 11: return "connection-lost";
    case 12: return "administrative";
    default: return "unknown";
    }
}

const char *
sws_json_removed_reason_name (guint reason)
{
  switch (reason)
    {
    case 1: return "unregistered";
    case 2: return "expired";
    case 3: return "connection-closed";
    case 4: return "replaced";
    case 5: return "administrative";
    default: return "unknown";
    }
}

JsonNode *
sws_json_event_new (gint64      time,
                    const char *event,
                    const char *object_path,
                    GVariant   *properties,
                    JsonObject *fields)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (event != NULL, NULL);

  json_object_set_int_member (object, "time", time);
  json_object_set_string_member (object, "event", event);
  if (object_path != NULL)
    {
      json_object_set_string_member (object, "path", object_path);
      json_object_set_member (object, "object",
                              sws_json_object_from_properties (object_path, properties));
    }
  if (fields != NULL)
    {
      GList *members = json_object_get_members (fields);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (object, l->data,
                                json_node_copy (json_object_get_member (fields, l->data)));
      g_list_free (members);
    }
  json_node_take_object (node, object);
  return node;
}

char *
sws_json_to_string (JsonNode *node,
                    gboolean  pretty)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  text = json_to_string (node, pretty);
  return g_strconcat (text, "\n", NULL);
}
