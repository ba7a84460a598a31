# Logging helpers shared by the scripts. Messages go to stderr so stdout stays machine-readable.

log_step() {
  printf '\n==> %s\n' "$*" >&2
}

log_info() {
  printf '    %s\n' "$*" >&2
}

log_warn() {
  printf 'WARNING: %s\n' "$*" >&2
}

log_error() {
  printf 'ERROR: %s\n' "$*" >&2
}
