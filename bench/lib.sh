# Helpers sourced by scripts/bench-*.sh: free loopback ports, waiting for a port, installing Debian peers.

free_port() { # prints a TCP port that is free on 127.0.0.1 right now
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # wait_port PORT SECONDS: waits until something listens on 127.0.0.1:PORT
  local port=$1 deadline=$((SECONDS + $2))
  until python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1).close()' "$port" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "nothing listens on 127.0.0.1:$port after $2 s" >&2
      return 1
    fi
    sleep 0.2
  done
}

need_debian() { # need_debian BINARY PACKAGE...: installs the packages with apt-get when BINARY is missing
  local binary=$1
  shift
  if ! command -v "$binary" >/dev/null 2>&1; then
    echo "installing $* (Debian packages) for $binary" >&2
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    fi
  fi
  command -v "$binary" >/dev/null 2>&1 || { echo "$binary is still missing" >&2; return 1; }
}

start_redis() { # start_redis PORT DIR: a loopback redis-server without persistence; prints its pid
  redis-server --bind 127.0.0.1 --port "$1" --save '' --appendonly no --dir "$2" --daemonize no \
               --logfile "$2/redis.log" >/dev/null 2>&1 &
  echo $!
}
