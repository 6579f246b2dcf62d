/* agent/conf.c — clamav-agent's settings: defaults, the clamav-agent.conf parser, overrides.
 * Owns: the table of setting names (clamd.conf's where they exist) and their value types.
 * Must not: open sockets, load signatures, or print; errors go back as GError. */
#include "config.h"
#include "agent/conf.h"
#include "common/i18n.h"
#include "common/quark.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

COMMON_DEFINE_QUARK(agent-error-quark, agent_error)

typedef enum {
        T_STRING, T_BOOL, T_UINT, T_SIZE, T_MODE, T_ALERT_ENCRYPTED,
        T_REGEX_LIST, /* repeatable: each value one more pattern */
        T_PUA,        /* ExcludePUA / IncludePUA: repeatable categories */
} SettingType;

typedef struct {
        const char *name;
        SettingType type;
        gsize offset;
} Setting;

#define S(name, type, field) { name, type, offsetof(AgentConf, field) }
static const Setting settings[] = {
        S("LocalSocket", T_STRING, local_socket),
        S("LocalSocketMode", T_MODE, local_socket_mode),
        S("TCPSocket", T_UINT, tcp_port),
        S("TCPAddr", T_STRING, tcp_addr),
        S("TLSCertificateFile", T_STRING, tls_certificate_file),
        S("TLSKeyFile", T_STRING, tls_key_file),
        S("TLSClientCA", T_STRING, tls_client_ca),
        S("TLSHandshakeTimeout", T_UINT, tls_handshake_timeout),
        S("DatabaseDirectory", T_STRING, database_directory),
        S("TemporaryDirectory", T_STRING, temporary_directory),
        S("ScratchDirectory", T_STRING, scratch_directory),
        S("MaxThreads", T_UINT, max_threads),
        S("MaxQueue", T_UINT, max_queue),
        S("MaxConnections", T_UINT, max_connections),
        S("MaxConnectionsPerClient", T_UINT, max_connections_per_client),
        S("StreamMaxLength", T_SIZE, stream_max_length),
        S("StreamMemoryMax", T_SIZE, stream_memory_max),
        S("StreamMinRate", T_SIZE, stream_min_rate),
        S("StreamRateWindow", T_UINT, stream_rate_window),
        S("ReadTimeout", T_UINT, read_timeout),
        S("CommandReadTimeout", T_UINT, command_read_timeout),
        S("SendBufTimeout", T_UINT, send_timeout_ms),
        S("RequestTimeout", T_UINT, request_timeout),
        S("IdleTimeout", T_UINT, idle_timeout),
        S("ShutdownTimeout", T_UINT, shutdown_timeout),
        S("MaxFileSize", T_SIZE, max_file_size),
        S("MaxScanSize", T_SIZE, max_scan_size),
        S("MaxRecursion", T_UINT, max_recursion),
        S("MaxFiles", T_UINT, max_files),
        S("MaxScanTime", T_UINT, max_scan_time),
        S("AlertExceedsMax", T_BOOL, alert_exceeds_max),
        S("AlertEncrypted", T_ALERT_ENCRYPTED, alert_encrypted_archive),
        S("AlertEncryptedArchive", T_BOOL, alert_encrypted_archive),
        S("AlertEncryptedDoc", T_BOOL, alert_encrypted_doc),
        S("Bytecode", T_BOOL, bytecode),
        S("HugePages", T_BOOL, huge_pages),
        S("LogFile", T_STRING, log_file),
        S("LogSyslog", T_BOOL, log_syslog),
        S("LogVerbose", T_BOOL, log_verbose),
        S("PidFile", T_STRING, pid_file),
        S("Foreground", T_BOOL, foreground),
        S("Debug", T_BOOL, debug),
        S("LogClean", T_BOOL, log_clean),
        S("LogFacility", T_STRING, log_facility),
        S("ExcludePath", T_REGEX_LIST, exclude_path),
        S("VirusEvent", T_STRING, virus_event),
        S("FollowDirectorySymlinks", T_BOOL, follow_directory_symlinks),
        S("FollowFileSymlinks", T_BOOL, follow_file_symlinks),
        S("CrossFilesystems", T_BOOL, cross_filesystems),
        S("MaxDirectoryRecursion", T_UINT, max_directory_recursion),
        S("AllowAllMatchScan", T_BOOL, allow_all_match_scan),
        S("FailIfCvdOlderThan", T_UINT, fail_if_cvd_older_than),
        S("ExcludePUA", T_PUA, pua_categories),
        S("IncludePUA", T_PUA, pua_categories),
};
#undef S

/* clamd's older names, which clamd 1.4 still reads (with a warning) as the newer ones. */
static const struct { const char *old, *now; } aliases[] = {
        { "AlgorithmicDetection", "HeuristicAlerts" },
        { "BlockMax", "AlertExceedsMax" },
        { "OLE2BlockMacros", "AlertOLE2Macros" },
        { "PhishingAlwaysBlockCloak", "AlertPhishingCloak" },
        { "PhishingAlwaysBlockSSLMismatch", "AlertPhishingSSLMismatch" },
        { "PartitionIntersection", "AlertPartitionIntersection" },
        { "ArchiveBlockEncrypted", "AlertEncryptedArchive" },
        { "DetectBrokenExecutables", "AlertBrokenExecutables" },
};

/* clamd.conf settings the agent does not have, and why (the README's agent section lists the
 * same). */
static const struct {
        const char *name;
        gboolean family; /* every name that starts with this one */
        const char *why;
} absent[] = {
        { "User", FALSE,
          N_("start the agent as the user it should run as") },
        { "AllowSupplementaryGroups", FALSE,
          N_("start the agent as the user it should run as") },
        { "LocalSocketGroup", FALSE,
          N_("start the agent with that group, or let the service manager create the socket") },
        { "FixStaleSocket", FALSE,
          N_("the agent always replaces a stale socket and refuses one in use") },
        { "MaxConnectionQueueLength", FALSE,
          N_("the listen backlog is fixed; MaxConnections caps the open connections") },
        { "StreamMinPort", FALSE,
          N_("it belongs to clamd's STREAM command, which clamd 1.4 no longer has either; use "
            "INSTREAM") },
        { "StreamMaxPort", FALSE,
          N_("it belongs to clamd's STREAM command, which clamd 1.4 no longer has either; use "
            "INSTREAM") },
        { "SelfCheck", FALSE,
          N_("reload with RELOAD or SIGHUP after freshclam (freshclam's NotifyClamd can send "
            "RELOAD to the agent's socket)") },
        { "ConcurrentDatabaseReload", FALSE,
          N_("reloads are always concurrent: the old signatures serve until the new ones are "
            "compiled") },
        { "ExitOnOOM", FALSE,
          N_("a scan that runs out of memory is answered ERROR and the agent goes on") },
        { "LeaveTemporaryFiles", FALSE,
          N_("libclamav's scratch directory is private to the agent and removed when it stops") },
        { "GenerateMetadataJson", FALSE,
          N_("libclamav's scratch directory is private to the agent and removed when it stops") },
        { "ExtendedDetectionInfo", FALSE,
          N_("the scan log line has the size and the signature, not the file's hash") },
        { "LogTime", FALSE,
          N_("the agent's log lines always carry the time") },
        { "LogFileUnlock", FALSE,
          N_("rotate the log with logrotate's copytruncate, or log to syslog") },
        { "LogFileMaxSize", FALSE,
          N_("rotate the log with logrotate's copytruncate, or log to syslog") },
        { "LogRotate", FALSE,
          N_("rotate the log with logrotate's copytruncate, or log to syslog") },
        { "OnAccess", TRUE,
          N_("on-access scanning is clamonacc's, another program") },
        { "ScanOnAccess", FALSE,
          N_("on-access scanning is clamonacc's, another program") },
        { "Prelude", TRUE,
          N_("Debian's clamd is built without Prelude") },
        { "Dev", TRUE,
          N_("a libclamav developer's option") },
        { "MailFollowURLs", FALSE,
          N_("removed from clamd") },
        { "MailMaxRecursion", FALSE,
          N_("removed from clamd; use MaxRecursion") },
        { "ArchiveMax", TRUE,
          N_("removed from clamd; use MaxScanSize, MaxRecursion, MaxFiles") },
        { "ArchiveBlockMax", FALSE,
          N_("removed from clamd; use AlertExceedsMax") },
        { "ArchiveLimitMemoryUsage", FALSE,
          N_("removed from clamd") },
};

AgentConf *agent_conf_new(void)
{
        AgentConf *conf = g_new0(AgentConf, 1);
        conf->local_socket = g_strdup("/run/clamav/clamav-agent.ctl"); /* clamd.ctl's neighbour */
        conf->local_socket_mode = 0660;
        conf->tcp_addr = g_strdup("127.0.0.1");
        conf->tls_handshake_timeout = 10;
        conf->database_directory = g_strdup("/var/lib/clamav");
        conf->temporary_directory = g_strdup(g_get_tmp_dir());
        conf->scratch_directory = g_strdup("auto");
        conf->max_threads = 10;
        conf->max_queue = 100;
        conf->stream_max_length = 100 * 1024 * 1024;
        conf->stream_memory_max = 4 * 1024 * 1024;
        conf->stream_min_rate = 4 * 1024;
        conf->stream_rate_window = 20;
        conf->read_timeout = 120;
        conf->command_read_timeout = 30;
        conf->send_timeout_ms = 5000;
        conf->request_timeout = 600;
        conf->idle_timeout = 30;
        conf->shutdown_timeout = 30;
        conf->max_file_size = 100 * 1024 * 1024;
        conf->max_scan_size = 400 * 1024 * 1024;
        conf->max_recursion = 17;
        conf->max_files = 10000;
        conf->max_scan_time = 120000;
        conf->alert_exceeds_max = TRUE;
        conf->alert_encrypted_archive = TRUE;
        conf->alert_encrypted_doc = TRUE;
        conf->bytecode = TRUE;
        conf->huge_pages = TRUE;
        conf->log_clean = TRUE;
        conf->exclude_path = g_ptr_array_new_with_free_func((GDestroyNotify)g_regex_unref);
        conf->follow_directory_symlinks = FALSE;
        conf->follow_file_symlinks = FALSE;
        conf->cross_filesystems = TRUE;
        conf->max_directory_recursion = 15;
        conf->allow_all_match_scan = TRUE;
        for (gsize i = 0; i < G_N_ELEMENTS(conf->clam); i++)
                conf->clam[i] = -1;
        return conf;
}

void agent_conf_free(AgentConf *conf)
{
        if (!conf)
                return;
        g_free(conf->local_socket);
        g_free(conf->tcp_addr);
        g_free(conf->tls_certificate_file);
        g_free(conf->tls_key_file);
        g_free(conf->tls_client_ca);
        g_free(conf->database_directory);
        g_free(conf->temporary_directory);
        g_free(conf->scratch_directory);
        g_free(conf->log_file);
        g_free(conf->pid_file);
        g_free(conf->log_facility);
        g_clear_pointer(&conf->exclude_path, g_ptr_array_unref);
        g_free(conf->virus_event);
        g_free(conf->pua_categories);
        g_free(conf);
}

gboolean agent_conf_parse_size(const char *text, guint64 *out)
{
        char *end = NULL;
        errno = 0;
        if (!text || !g_ascii_isdigit(*text))
                return FALSE;
        guint64 v = g_ascii_strtoull(text, &end, 10);
        if (errno)
                return FALSE;
        guint64 mult = 1;
        switch (g_ascii_toupper(*end)) {
        case '\0': break;
        case 'K': mult = 1024; end++; break;
        case 'M': mult = 1024 * 1024; end++; break;
        case 'G': mult = 1024 * 1024 * 1024; end++; break;
        default: return FALSE;
        }
        if (*end != '\0' || v > G_MAXUINT64 / mult)
                return FALSE;
        *out = v * mult;
        return TRUE;
}

gboolean agent_conf_parse_bool(const char *text, gboolean *out)
{
        static const char *const yes[] = { "yes", "true", "on", "1" };
        static const char *const no[] = { "no", "false", "off", "0" };
        for (gsize i = 0; i < G_N_ELEMENTS(yes); i++) {
                if (g_ascii_strcasecmp(text, yes[i]) == 0) {
                        *out = TRUE;
                        return TRUE;
                }
                if (g_ascii_strcasecmp(text, no[i]) == 0) {
                        *out = FALSE;
                        return TRUE;
                }
        }
        return FALSE;
}

static gboolean parse_uint(const char *text, guint base, guint *out)
{
        guint64 v = 0;
        if (!g_ascii_string_to_unsigned(text, base, 0, G_MAXUINT, &v, NULL))
                return FALSE;
        *out = (guint)v;
        return TRUE;
}

/* ExcludePath: clamd's POSIX extended expressions are, for the paths people write, the same
 * language as GRegex's. */
static gboolean add_regex(AgentConf *conf, const char *value)
{
        GRegex *re = g_regex_new(value, G_REGEX_OPTIMIZE | G_REGEX_RAW, 0, NULL);
        if (!re)
                return FALSE;
        g_ptr_array_add(conf->exclude_path, re);
        return TRUE;
}

/* ExcludePUA and IncludePUA: libclamav wants ".cat1.cat2."; clamd refuses both kinds at once. */
static gboolean add_pua(AgentConf *conf, const Setting *s, const char *value)
{
        gboolean include = g_ascii_strcasecmp(s->name, "IncludePUA") == 0;
        if (conf->pua_categories && conf->pua_include != include)
                return FALSE;
        if (strchr(value, '.') || strchr(value, ' '))
                return FALSE;
        conf->pua_include = include;
        char *joined = g_strconcat(conf->pua_categories ? conf->pua_categories : ".", value, ".",
                                   NULL);
        g_free(conf->pua_categories);
        conf->pua_categories = joined;
        return TRUE;
}

static gboolean apply(AgentConf *conf, const Setting *s, const char *value)
{
        void *field = (char *)conf + s->offset;
        switch (s->type) {
        case T_STRING:
                g_free(*(char **)field);
                *(char **)field = g_strdup(value);
                return TRUE;
        case T_BOOL:
                return agent_conf_parse_bool(value, field);
        case T_ALERT_ENCRYPTED: {
                gboolean b;
                if (!agent_conf_parse_bool(value, &b))
                        return FALSE;
                conf->alert_encrypted_archive = conf->alert_encrypted_doc = b;
                return TRUE;
        }
        case T_UINT:
                return parse_uint(value, 10, field);
        case T_MODE:
                return parse_uint(value, 8, field) && *(guint *)field <= 0777;
        case T_SIZE:
                return agent_conf_parse_size(value, field);
        case T_REGEX_LIST:
                return add_regex(conf, value);
        case T_PUA:
                return add_pua(conf, s, value);
        }
        return FALSE;
}

static gboolean set_absent(const char *name, GError **error)
{
        for (gsize i = 0; i < G_N_ELEMENTS(absent); i++) {
                gboolean hit = absent[i].family ? g_ascii_strncasecmp(name, absent[i].name,
                                                            strlen(absent[i].name)) == 0
                                      : g_ascii_strcasecmp(name, absent[i].name) == 0;
                if (!hit)
                        continue;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("clamd's setting %s is not one of clamav-agent's: %s"), name,
                            _(absent[i].why));
                return TRUE;
        }
        return FALSE;
}

static gboolean set_clamopt(AgentConf *conf, const char *name, const char *value,
                            GError **error)
{
        int row = agent_clamopts_find(name);
        if (agent_clamopts_parse(row, value, &conf->clam[row]))
                return TRUE;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG, _("“%s” is not a valid value for %s"),
                    value, agent_clamopts_name(row));
        return FALSE;
}

gboolean agent_conf_set(AgentConf *conf, const char *name, const char *value, GError **error)
{
        for (gsize i = 0; i < G_N_ELEMENTS(aliases); i++)
                if (g_ascii_strcasecmp(name, aliases[i].old) == 0)
                        name = aliases[i].now;
        if (agent_clamopts_find(name) >= 0)
                return set_clamopt(conf, name, value, error);
        for (gsize i = 0; i < G_N_ELEMENTS(settings); i++) {
                if (g_ascii_strcasecmp(settings[i].name, name) != 0)
                        continue;
                if (apply(conf, &settings[i], value))
                        return TRUE;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("“%s” is not a valid value for %s"), value, settings[i].name);
                return FALSE;
        }
        if (set_absent(name, error))
                return FALSE;
        g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                    _("unknown setting “%s” (see clamav-agent.conf(5) for the names)"), name);
        return FALSE;
}

static gboolean load_line(AgentConf *conf, char *line, GError **error)
{
        g_strstrip(line);
        if (*line == '\0' || *line == '#')
                return TRUE;
        char *value = line;
        while (*value && !g_ascii_isspace(*value))
                value++;
        if (*value)
                *value++ = '\0';
        g_strstrip(value);
        gsize vlen = strlen(value);
        if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
                value[vlen - 1] = '\0';
                value++;
        }
        if (*value == '\0') {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("setting %s has no value"), line);
                return FALSE;
        }
        return agent_conf_set(conf, line, value, error);
}

gboolean agent_conf_load_file(AgentConf *conf, const char *path, GError **error)
{
        g_autofree char *text = NULL;
        g_autoptr(GError) local = NULL;
        if (!g_file_get_contents(path, &text, NULL, &local)) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("cannot read the configuration file: %s"), local->message);
                return FALSE;
        }
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        for (guint i = 0; lines[i]; i++) {
                if (load_line(conf, lines[i], &local))
                        continue;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG, _("%s line %u: %s"), path,
                            i + 1, local->message);
                return FALSE;
        }
        return TRUE;
}

gboolean agent_conf_set_tcp(AgentConf *conf, const char *spec, GError **error)
{
        const char *colon = strrchr(spec, ':');
        const char *port_text = colon ? colon + 1 : spec;
        guint port = 0;
        if (!parse_uint(port_text, 10, &port) || port == 0 || port > 65535) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("“%s” is not a TCP port; use PORT or ADDRESS:PORT"), spec);
                return FALSE;
        }
        conf->tcp_port = port;
        if (!colon)
                return TRUE;
        g_autofree char *addr = g_strndup(spec, colon - spec);
        if (addr[0] == '[' && addr[strlen(addr) - 1] == ']') {
                addr[strlen(addr) - 1] = '\0';
                memmove(addr, addr + 1, strlen(addr));
        }
        g_free(conf->tcp_addr);
        conf->tcp_addr = g_steal_pointer(&addr);
        return TRUE;
}

/* A daemon changes to / when it detaches, and reloads later: keep every path absolute. */
static void make_absolute(char **path)
{
        if (!*path || !**path || g_path_is_absolute(*path))
                return;
        char *abs = g_canonicalize_filename(*path, NULL);
        g_free(*path);
        *path = abs;
}

static gboolean is_set(const char *value)
{
        return value && *value;
}

/* TLS is the TCP listener's: a certificate needs its key and a TCPSocket; a client CA needs
 * a certificate to offer first. */
static gboolean validate_tls(const AgentConf *conf, GError **error)
{
        gboolean cert = is_set(conf->tls_certificate_file), key = is_set(conf->tls_key_file);
        if (cert != key) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("TLSCertificateFile and TLSKeyFile go together: set both or neither"));
                return FALSE;
        }
        if (is_set(conf->tls_client_ca) && !cert) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("TLSClientCA needs TLSCertificateFile and TLSKeyFile: the agent shows "
                              "its own certificate before it asks for the client's"));
                return FALSE;
        }
        if (cert && conf->tcp_port == 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("TLSCertificateFile is for the TCP listener: set TCPSocket too (the "
                              "unix socket never uses TLS)"));
                return FALSE;
        }
        if (conf->tls_handshake_timeout == 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("TLSHandshakeTimeout must be at least 1 second"));
                return FALSE;
        }
        return TRUE;
}

gboolean agent_conf_validate(AgentConf *conf, GError **error)
{
        char **paths[] = { &conf->local_socket, &conf->database_directory,
                           &conf->temporary_directory, &conf->log_file, &conf->pid_file,
                           &conf->tls_certificate_file, &conf->tls_key_file,
                           &conf->tls_client_ca };
        for (gsize i = 0; i < G_N_ELEMENTS(paths); i++)
                make_absolute(paths[i]);
        if (g_strcmp0(conf->scratch_directory, "auto") != 0)
                make_absolute(&conf->scratch_directory);
        gboolean has_unix = conf->local_socket && *conf->local_socket;
        if (!has_unix && conf->tcp_port == 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("no listener configured: set LocalSocket or TCPSocket"));
                return FALSE;
        }
        if (conf->tcp_port > 65535) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("TCPSocket %u is not a port number (1–65535)"), conf->tcp_port);
                return FALSE;
        }
        if (!validate_tls(conf, error))
                return FALSE;
        if (conf->max_threads == 0 || conf->max_threads > 1024) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("MaxThreads must be between 1 and 1024"));
                return FALSE;
        }
        if (conf->read_timeout == 0 || conf->command_read_timeout == 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("ReadTimeout and CommandReadTimeout must be at least 1 second"));
                return FALSE;
        }
        if (conf->max_connections == 0)
                conf->max_connections = conf->max_threads + conf->max_queue;
        if (conf->max_connections_per_client == 0) /* one client leaves room for the others */
                conf->max_connections_per_client = MAX(1, (conf->max_connections + 1) / 2);
        if (conf->stream_min_rate > 0 && conf->stream_rate_window == 0) {
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("StreamRateWindow must be at least 1 second (or set StreamMinRate 0 "
                              "to turn the rule off)"));
                return FALSE;
        }
        if (conf->send_timeout_ms == 0)
                conf->send_timeout_ms = 500;
        if (conf->request_timeout < conf->read_timeout)
                conf->request_timeout = conf->read_timeout;
        return TRUE;
}
