/* agent/log.c — clamav-agent's log lines: stderr, LogFile, syslog; one mutex, one line at a time.
 * Owns: the log destinations (the only mutable state here, behind the mutex).
 * Must not: block on anything but the log file; never exit the process. */
#include "config.h"
#include "agent/log.h"
#include "common/i18n.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

static GMutex log_lock;
static FILE *log_file;
static gboolean log_stderr = TRUE;
static gboolean log_syslog;
static gboolean log_verbose;

/* LogFacility: clamd's names, "LOG_LOCAL6". */
static gboolean facility_named(const char *name, int *out)
{
        static const struct { const char *name; int value; } names[] = {
                { "LOG_AUTH", LOG_AUTH }, { "LOG_AUTHPRIV", LOG_AUTHPRIV }, { "LOG_CRON", LOG_CRON },
                { "LOG_DAEMON", LOG_DAEMON }, { "LOG_FTP", LOG_FTP }, { "LOG_KERN", LOG_KERN },
                { "LOG_LPR", LOG_LPR }, { "LOG_MAIL", LOG_MAIL }, { "LOG_NEWS", LOG_NEWS },
                { "LOG_USER", LOG_USER }, { "LOG_UUCP", LOG_UUCP },
                { "LOG_LOCAL0", LOG_LOCAL0 }, { "LOG_LOCAL1", LOG_LOCAL1 },
                { "LOG_LOCAL2", LOG_LOCAL2 }, { "LOG_LOCAL3", LOG_LOCAL3 },
                { "LOG_LOCAL4", LOG_LOCAL4 }, { "LOG_LOCAL5", LOG_LOCAL5 },
                { "LOG_LOCAL6", LOG_LOCAL6 }, { "LOG_LOCAL7", LOG_LOCAL7 },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
                if (g_ascii_strcasecmp(name, names[i].name) == 0) {
                        *out = names[i].value;
                        return TRUE;
                }
        }
        return FALSE;
}

gboolean agent_log_open(const AgentConf *conf, GError **error)
{
        tzset(); /* once: the time zone of every later localtime_r */
        g_mutex_lock(&log_lock);
        log_verbose = conf->log_verbose;
        if (conf->log_file && *conf->log_file && !log_file) {
                log_file = fopen(conf->log_file, "ae");
                if (!log_file) {
                        int e = errno;
                        g_mutex_unlock(&log_lock);
                        g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                                    _("cannot open LogFile %s: %s"), conf->log_file,
                                    g_strerror(e));
                        return FALSE;
                }
                setvbuf(log_file, NULL, _IOLBF, 0);
        }
        int facility = LOG_DAEMON;
        if (conf->log_facility && !facility_named(conf->log_facility, &facility)) {
                g_mutex_unlock(&log_lock);
                g_set_error(error, AGENT_ERROR, AGENT_ERROR_CONFIG,
                            _("LogFacility %s: no such facility (LOG_LOCAL0 … LOG_LOCAL7, "
                              "LOG_DAEMON, LOG_MAIL, LOG_USER …)"), conf->log_facility);
                return FALSE;
        }
        if (conf->log_syslog && !log_syslog) {
                openlog("clamav-agent", LOG_PID, facility);
                log_syslog = TRUE;
        }
        g_mutex_unlock(&log_lock);
        return TRUE;
}

void agent_log_detach_stderr(void)
{
        g_mutex_lock(&log_lock);
        log_stderr = FALSE;
        g_mutex_unlock(&log_lock);
}

void agent_log_close(void)
{
        g_mutex_lock(&log_lock);
        if (log_file)
                fclose(log_file);
        log_file = NULL;
        if (log_syslog)
                closelog();
        log_syslog = FALSE;
        g_mutex_unlock(&log_lock);
}

static const char *level_name(AgentLogLevel level)
{
        switch (level) {
        case AGENT_LOG_ERROR: return "ERROR: ";
        case AGENT_LOG_WARNING: return "WARNING: ";
        default: return "";
        }
}

static int level_priority(AgentLogLevel level)
{
        switch (level) {
        case AGENT_LOG_ERROR: return LOG_ERR;
        case AGENT_LOG_WARNING: return LOG_WARNING;
        case AGENT_LOG_INFO: return LOG_INFO;
        default: return LOG_DEBUG;
        }
}

void agent_log(AgentLogLevel level, const char *format, ...)
{
        if (level == AGENT_LOG_DEBUG && !log_verbose)
                return;
        va_list ap;
        va_start(ap, format);
        g_autofree char *msg = g_strdup_vprintf(format, ap);
        va_end(ap);
        /* localtime_r, not GDateTime: the latter looks /etc/localtime up again on every call,
         * three system calls per scan logged. */
        struct timespec ts;
        struct tm tm;
        char stamp[40] = "";
        clock_gettime(CLOCK_REALTIME, &ts);
        if (localtime_r(&ts.tv_sec, &tm)) {
                gsize n = strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
                g_snprintf(stamp + n, sizeof(stamp) - n, ".%03ld", ts.tv_nsec / 1000000);
        }
        g_mutex_lock(&log_lock);
        if (log_stderr)
                fprintf(stderr, "%s clamav-agent: %s%s\n", stamp, level_name(level), msg);
        if (log_file)
                fprintf(log_file, "%s %s%s\n", stamp, level_name(level), msg);
        if (log_syslog)
                syslog(level_priority(level), "%s%s", level_name(level), msg);
        g_mutex_unlock(&log_lock);
}
