#!/usr/bin/env bash
# Launcher for a real Apache Solr 9 on 127.0.0.1:8983, resolved from Maven Central.
#
#   solr/solr.sh start   build the classpath and solr home if needed, start, wait until every core answers
#   solr/solr.sh stop    stop it cleanly (SIGTERM, Jetty's shutdown hook closes the cores)
#   solr/solr.sh status  say whether it runs and which cores answer
#
# Solr home (git-ignored) is var/solr/home: one core per CKAN instance, each with CKAN's own
# schema (ckan/config/solr/schema.xml from the installed ckan package) and solr/conf/solrconfig.xml.
# Environment: SOLR_CKAN_SCHEMA (path of CKAN's schema.xml), SOLR_CORES, SOLR_HEAP.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
var="$root/var/solr"
home="$var/home"
classpath="$var/classpath.txt"
pidfile="$var/solr.pid"
log="$root/var/log/solr.log"
port=8983   # fixed by JettySolrRunner.main, which binds 127.0.0.1 only
base="http://127.0.0.1:$port/solr"
cores=${SOLR_CORES:-"ckan ckan_test ckan_peer ckan_peer_test"}
heap=${SOLR_HEAP:-512m}

die() { echo "solr: $*" >&2; exit 1; }
say() { echo "solr: $*"; }

ping_core() { curl -sf -m 2 "$base/$1/admin/ping" >/dev/null 2>&1; }
# A core of a shared Solr whose folder is gone (made by a checkout since deleted) still
# answers pings but fails every update (NoSuchFileException on its tlog): unload it, so it
# is made again in this checkout.
drop_orphan_core() {
    local dir
    dir=$(curl -sf -m 5 "$base/admin/cores?action=STATUS&core=$1&wt=json" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"].get(sys.argv[1], {}).get("instanceDir", ""))' "$1" \
        2>/dev/null) || return 0
    if [ -n "$dir" ] && [ ! -d "$dir" ]; then
        say "core $1 lost its folder ($dir): unloading it to make it again"
        curl -sf -m 30 "$base/admin/cores?action=UNLOAD&core=$1" >/dev/null || die "could not unload core $1"
    fi
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
running_pid() {
    [ -f "$pidfile" ] || return 1
    local pid; pid=$(cat "$pidfile")
    kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ensure_classpath() {
    command -v java >/dev/null || die "Java is missing: run 'apt-get install -y openjdk-17-jre-headless' (Java 17+), then retry."
    command -v mvn >/dev/null || die "Maven is missing: run 'apt-get install -y maven', then retry."
    if [ -s "$classpath" ] && [ "$classpath" -nt "$here/pom.xml" ]; then return; fi
    say "resolving Solr from Maven Central (first run only) ..."
    mkdir -p "$var"
    if ! mvn -q -B -f "$here/pom.xml" dependency:build-classpath \
            -Dmdep.outputFile="$classpath.tmp" >"$var/mvn.log" 2>&1; then
        tail -n 20 "$var/mvn.log" >&2
        die "Maven could not resolve org.apache.solr:solr-test-framework (see $var/mvn.log); check access to Maven Central and retry."
    fi
    mv "$classpath.tmp" "$classpath"
}

schema_path() {
    if [ -n "${SOLR_CKAN_SCHEMA:-}" ]; then echo "$SOLR_CKAN_SCHEMA"; return; fi
    local py="$root/.venv/bin/python"
    [ -x "$py" ] || die "no .venv yet: CKAN's schema comes from the installed ckan package; run bin/dev portal (or set SOLR_CKAN_SCHEMA)."
    "$py" -c 'import os, ckan; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))'
}

# Lay out (or refresh) one core's instance dir. Written to a temp dir and moved, so an
# interrupted run never leaves a half-made core behind.
make_core() {
    local core=$1 schema=$2 dir="$home/$1"
    if [ -f "$dir/core.properties" ] && cmp -s "$schema" "$dir/conf/schema.xml" \
            && cmp -s "$here/conf/solrconfig.xml" "$dir/conf/solrconfig.xml"; then
        return
    fi
    local tmp="$home/.$core.tmp"
    rm -rf "$tmp"; mkdir -p "$tmp/conf"
    cp "$schema" "$tmp/conf/schema.xml"
    cp "$here/conf/solrconfig.xml" "$tmp/conf/solrconfig.xml"
    : >"$tmp/conf/protwords.txt"; : >"$tmp/conf/synonyms.txt"
    echo "name=$core" >"$tmp/core.properties"
    if [ -d "$dir/data" ]; then mv "$dir/data" "$tmp/data"; fi
    rm -rf "$dir"; mv "$tmp" "$dir"
}

ensure_home() {
    local schema; schema=$(schema_path)
    [ -f "$schema" ] || die "CKAN's Solr schema not found at $schema"
    mkdir -p "$home" "$(dirname "$log")"
    # solr.allowPaths is read only where solr.xml names it: without this, another checkout
    # cannot add a core with its own instanceDir to this Solr.
    local xml='<solr><str name="allowPaths">${solr.allowPaths:}</str></solr>'
    grep -q allowPaths "$home/solr.xml" 2>/dev/null || echo "$xml" >"$home/solr.xml"
    local c; for c in $cores; do make_core "$c" "$schema"; done
}

all_cores_up() { local c; for c in $cores; do ping_core "$c" || return 1; done; }

start() {
    ensure_classpath
    ensure_home
    if running_pid >/dev/null; then
        local c; for c in $cores; do drop_orphan_core "$c"; done
        if all_cores_up; then say "already running on $base"; return; fi
        # Running but a core is new: create it in place rather than restart.
        for c in $cores; do
            ping_core "$c" && continue
            # CoreAdmin writes core.properties itself and refuses a dir that has one.
            rm -f "$home/$c/core.properties"
            curl -sf -m 30 "$base/admin/cores?action=CREATE&name=$c&instanceDir=$c" >/dev/null \
                || die "could not create core $c in the running Solr (see $log)"
        done
        all_cores_up && { say "running on $base"; return; }
        die "Solr runs (pid $(cat "$pidfile")) but cores do not answer; run 'solr/solr.sh stop' and retry (log: $log)"
    fi
    if curl -sf -m 5 "$base/admin/cores?action=STATUS" >/dev/null 2>&1; then
        # A Solr started from another checkout: reuse it, adding our missing cores.
        local c; for c in $cores; do
            drop_orphan_core "$c"
            ping_core "$c" && continue
            rm -f "$home/$c/core.properties"
            curl -sf -m 30 "$base/admin/cores?action=CREATE&name=$c&instanceDir=$home/$c" >/dev/null \
                || die "could not create core $c in the Solr already on $base"
        done
        say "reusing the Solr already serving on $base"
        return
    fi
    if port_open; then
        die "port $port on 127.0.0.1 is taken by another program; stop it (e.g. 'ss -ltnp | grep :$port') and retry."
    fi
    say "starting Solr on $base (log: $log) ..."
    # allowPaths: other checkouts on this machine may add their cores to this loopback-only Solr.
    (cd "$home" && exec setsid java -Xms128m "-Xmx$heap" -Dsolr.log.dir="$root/var/log" -Dsolr.allowPaths='*' \
        -Dsolr.install.dir="$home" -cp "$(cat "$classpath")" \
        org.apache.solr.embedded.JettySolrRunner >>"$log" 2>&1 </dev/null) &
    echo $! >"$pidfile"
    local i
    for i in $(seq 1 240); do
        if all_cores_up; then say "up in $((i / 4)) s: cores $cores"; return; fi
        kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -n 30 "$log" >&2; rm -f "$pidfile"; die "Solr exited during start-up (see $log)"; }
        sleep 0.25
    done
    tail -n 30 "$log" >&2
    die "Solr did not answer within 60 s (see $log); run 'solr/solr.sh stop' and retry."
}

stop() {
    local pid
    if ! pid=$(running_pid); then rm -f "$pidfile"; say "not running"; return; fi
    kill "$pid"
    local i; for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; say "killed (did not stop within 15 s)"; else say "stopped"; fi
    rm -f "$pidfile"
}

status() {
    if pid=$(running_pid); then
        local c; for c in $cores; do
            if ping_core "$c"; then say "core $c: up"; else say "core $c: DOWN"; fi
        done
        say "running, pid $pid, $base"
    else
        say "not running"; return 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: solr/solr.sh start|stop|status" >&2; exit 2 ;;
esac
