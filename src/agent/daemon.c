/* agent/daemon.c — clamav-agent's life cycle: options over the configuration file, engine load
 * (exit non-zero when it fails), listeners, detaching, pid file, serve, orderly stop.
 * Owns: the command-line options and the pid file. Must not: speak the protocol or scan. */
#include "config.h"
#include "agent/daemon.h"
#include "agent/conf.h"
#include "agent/engine.h"
#include "agent/log.h"
#include "agent/scratch.h"
#include "agent/server.h"
#include "common/i18n.h"

#include <clamav.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#define DEFAULT_CONFIG SYSCONFDIR "/clamav/clamav-agent.conf" /* beside clamd.conf */

typedef struct {
        char *config;
        char *db;
        char *socket;
        char *tcp;
        gboolean foreground;
        gboolean version;
} Options;

static void options_clear(Options *o)
{
        g_free(o->config);
        g_free(o->db);
        g_free(o->socket);
        g_free(o->tcp);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Options, options_clear)

static gboolean parse_options(int *argc, char ***argv, Options *o, GError **error)
{
        GOptionEntry entries[] = {
                { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config,
                  N_("Read settings from FILE (default " DEFAULT_CONFIG ")"), N_("FILE") },
                { "db", 'd', 0, G_OPTION_ARG_FILENAME, &o->db,
                  N_("Load signatures from DIR (DatabaseDirectory)"), N_("DIR") },
                { "socket", 's', 0, G_OPTION_ARG_FILENAME, &o->socket,
                  N_("Listen on the unix socket PATH (LocalSocket)"), N_("PATH") },
                { "tcp", 't', 0, G_OPTION_ARG_STRING, &o->tcp,
                  N_("Also listen on TCP [ADDRESS:]PORT (loopback unless an address is named)"),
                  N_("[ADDR:]PORT") },
                { "foreground", 'F', 0, G_OPTION_ARG_NONE, &o->foreground,
                  N_("Stay in the foreground and log to stderr"), NULL },
                { "version", 'V', 0, G_OPTION_ARG_NONE, &o->version,
                  N_("Print the version and exit"), NULL },
                { NULL, 0, 0, 0, NULL, NULL, NULL },
        };
        g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
        g_option_context_set_summary(ctx, _("clamav-agent: a scanning daemon on libclamav that "
                                            "speaks clamd's protocol."));
        g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
        return g_option_context_parse(ctx, argc, argv, error);
}

static AgentConf *build_conf(const Options *o, GError **error)
{
        g_autoptr(AgentConf) conf = agent_conf_new();
        const char *path = o->config ? o->config : DEFAULT_CONFIG;
        if ((o->config || g_file_test(path, G_FILE_TEST_EXISTS)) &&
            !agent_conf_load_file(conf, path, error))
                return NULL;
        if (o->db && !agent_conf_set(conf, "DatabaseDirectory", o->db, error))
                return NULL;
        if (o->socket && !agent_conf_set(conf, "LocalSocket", o->socket, error))
                return NULL;
        if (o->tcp && !agent_conf_set_tcp(conf, o->tcp, error))
                return NULL;
        if (o->foreground)
                conf->foreground = TRUE;
        if (!agent_conf_validate(conf, error))
                return NULL;
        return g_steal_pointer(&conf);
}

/* clamd -V's line (libclamav and the daily database in DatabaseDirectory), then ours. */
static int print_version(const Options *o)
{
        g_autoptr(GError) ignored = NULL;
        g_autoptr(AgentConf) conf = build_conf(o, &ignored);
        g_autoptr(AgentConf) fallback = conf ? NULL : agent_conf_new();
        const char *db = conf ? conf->database_directory
                              : (o->db ? o->db : fallback->database_directory);
        g_autofree char *clamav = agent_engine_installed_version(db);
        printf("%s\nclamav-agent %s\n", clamav, PACKAGE_VERSION);
        return 0;
}

static gboolean detach(GError **error)
{
        pid_t pid = fork();
        if (pid < 0) {
                int e = errno;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO, _("fork failed: %s"), g_strerror(e));
                return FALSE;
        }
        if (pid > 0)
                _exit(0);
        if (setsid() < 0 || chdir("/") != 0) {
                int e = errno;
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_IO, _("cannot detach: %s"),
                            g_strerror(e));
                return FALSE;
        }
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
                dup2(null, 0);
                dup2(null, 1);
                dup2(null, 2);
                close(null);
        }
        agent_log_detach_stderr();
        return TRUE;
}

static gboolean write_pid_file(const char *path, GError **error)
{
        g_autofree char *text = g_strdup_printf("%ld\n", (long)getpid());
        return g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                        error);
}

/* libclamav's scratch directory, made before the engine that uses it: conf then names it. */
static gboolean make_scratch(AgentConf *conf, GError **error)
{
        gboolean on_tmpfs = FALSE;
        char *path = agent_scratch_create(conf, &on_tmpfs, error);
        if (!path)
                return FALSE;
        agent_log(AGENT_LOG_INFO, _("libclamav's scratch directory: %s%s"), path,
                  on_tmpfs ? _(" (tmpfs: room for MaxThreads × MaxScanSize)") : "");
        g_free(conf->scratch_directory);
        conf->scratch_directory = path;
        return TRUE;
}

static int serve_with_scratch(AgentConf *conf, GError **error);

static int serve(AgentConf *conf, GError **error)
{
        if (!make_scratch(conf, error)) {
                agent_conf_free(conf);
                return 1;
        }
        g_autofree char *scratch = g_strdup(conf->scratch_directory);
        int status = serve_with_scratch(conf, error); /* takes conf */
        agent_scratch_remove(scratch);
        return status;
}

static int serve_with_scratch(AgentConf *conf, GError **error)
{
        g_autofree char *pid_file = g_strdup(conf->pid_file);
        gboolean foreground = conf->foreground;
        AgentEngine *engine = agent_engine_new(conf, error);
        if (!engine) {
                agent_conf_free(conf); /* the server would have taken it */
                return 1;
        }
        agent_log(AGENT_LOG_INFO, _("%u signatures loaded from %s"),
                  agent_engine_signatures(engine), conf->database_directory);
        g_autoptr(AgentServer) server = agent_server_new(conf, engine, error);
        if (!server)
                return 1;
        if (!foreground && !detach(error))
                return 1;
        if (pid_file && *pid_file && !write_pid_file(pid_file, error))
                return 1;
        gboolean ok = agent_server_run(server, error);
        if (pid_file && *pid_file)
                g_unlink(pid_file);
        agent_log(AGENT_LOG_INFO, _("stopped"));
        return ok ? 0 : 1;
}

int agent_daemon_main(int argc, char **argv)
{
        setlocale(LC_ALL, "");
        bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
        textdomain(GETTEXT_PACKAGE);
        g_auto(Options) o = { 0 };
        g_autoptr(GError) error = NULL;
        if (!parse_options(&argc, &argv, &o, &error)) {
                fprintf(stderr, "clamav-agent: %s (try --help)\n", error->message);
                return 2;
        }
        if (o.version)
                return print_version(&o);
        AgentConf *conf = build_conf(&o, &error);
        if (conf && conf->debug)
                cl_debug(); /* before libclamav starts any thread */
        if (!conf || !agent_log_open(conf, &error) || !agent_engine_global_init(&error)) {
                fprintf(stderr, "clamav-agent: %s\n", error->message);
                agent_conf_free(conf);
                return 1;
        }
        int status = serve(conf, &error); /* takes conf */
        if (status != 0) {
                agent_log(AGENT_LOG_ERROR, "%s", error ? error->message : _("failed"));
                fprintf(stderr, "clamav-agent: %s\n", error ? error->message : _("failed"));
        }
        agent_log_close();
        return status;
}
