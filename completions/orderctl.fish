# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_orderctl_global_optspecs
    string join \n stack= target= o/output= y/yes v/verbose endpoint-url= region= profile= state-dir= h/help V/version
end

function __fish_orderctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_orderctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_orderctl_using_subcommand
    set -l cmd (__fish_orderctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c orderctl -n "__fish_orderctl_needs_command" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_needs_command" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_needs_command" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_needs_command" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_needs_command" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_needs_command" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_needs_command" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_needs_command" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_needs_command" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_needs_command" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_needs_command" -s V -l version -d 'Print version'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "up" -d 'Create or update the stack\'s resources (idempotent: a second `up` changes nothing)'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "down" -d 'Delete the stack\'s resources and data (only what carries the stack\'s tag)'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "status" -d 'Show the stack\'s resources, queue depths, alarm state and order counts'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "send" -d 'Publish synthetic orders at a total rate, wait until they settle, report'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "smoke" -d 'The CI check: bring the stack up if needed, send one order of each kind, and check each reaches its expected outcome (exit 0 only if every one does)'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "run" -d 'Run a load scenario from a file (stages, mix, thresholds that set the exit code)'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "drain" -d 'Run the local pipeline until every queue is empty (for example after a crash)'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "orders" -d 'List the table\'s orders, newest first, filtered by status, kind, run and age'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "trace" -d 'One order through every hop, in time order: published, each receive and its result, the DLQ, each write of the order, the pipe, the review; where it is now, and the log lines that mention it. Exit 1 if the order is unknown'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "logs" -d 'The stack\'s function logs, interleaved by time'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "dlq" -d 'Operate the dead-letter queue'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "package" -d 'Build the Lambda handlers and write one reproducible deployment zip each'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "export" -d 'Write the stack as infrastructure as code, with the handler zips beside it'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "lambda" -d 'Run the packaged handlers locally: one invocation, or the stack\'s event source mappings against an AWS-compatible endpoint'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "config" -d 'Print the effective configuration and where each value comes from (flag, environment, `orderctl.toml`, default)'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "ui" -d 'Serve a page on 127.0.0.1 with an order form and a live dashboard of the stack (orders by status, queue and DLQ depths, alarm and alerts, throughput and latency plots, the DLQ\'s messages with a redrive button)'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "completions" -d 'Print a shell completion script (also committed under `completions/`)'
complete -c orderctl -n "__fish_orderctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l zips -d 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l source -d 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l arch -d 'aws: the functions\' architecture' -r -f -a "x86-64\t''
arm64\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l max-receive-count -d 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l visibility-timeout -d 'Visibility timeout of the queues (≥ 6 × the function timeout)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l function-timeout -d 'Timeout of the functions' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l batch-size -d 'Records per batch of each event source mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l batching-window -d 'How long a mapping waits to fill a batch' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l concurrency -d 'Concurrent batches of the `orders` mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l threshold -d 'Orders above this amount fail by rule and are reviewed' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l alarm-period -d 'Period of the DLQ alarm' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l log-retention -d 'Days the functions\' log groups keep their events (aws; one of CloudWatch Logs\' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l alert-email -d 'Subscribe this address to the `alerts` topic' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l dry-run -d 'Show the plan and change nothing'
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l adopt -d 'aws: take over resources with the stack\'s names that lack its tag (by default `up` refuses to touch them)'
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -l disable-mappings -d 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand up" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand down" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l watch -d 'Refresh every DURATION (in place at a terminal; otherwise one report, or one JSON line, per refresh) until Ctrl-C' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l max-receive-count -d 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l visibility-timeout -d 'Visibility timeout of the queues (≥ 6 × the function timeout)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l function-timeout -d 'Timeout of the functions' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l batch-size -d 'Records per batch of each event source mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l batching-window -d 'How long a mapping waits to fill a batch' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l concurrency -d 'Concurrent batches of the `orders` mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l threshold -d 'Orders above this amount fail by rule and are reviewed' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l alarm-period -d 'Period of the DLQ alarm' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l log-retention -d 'Days the functions\' log groups keep their events (aws; one of CloudWatch Logs\' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l alert-email -d 'Subscribe this address to the `alerts` topic' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -l disable-mappings -d 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand status" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l kind -d 'Send only orders of this kind' -r -f -a "normal\t''
high-value\t''
fail\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l mix -d 'Share of each kind, e.g. `normal=8,high-value=1,fail=1` (the default)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -s n -l count -d 'How many orders to send (default 100 unless `--duration` is given)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -s d -l duration -d 'Send for this long instead of a count, e.g. `30s`' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -s r -l rate -d 'Total orders per second across all senders, on a fixed schedule' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l wait -d 'How long to wait for the orders to settle after the last send (`0s`: publish only; the orders are then reported in flight)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l hdr-out -d 'Also write the end-to-end latency distribution to FILE, in HdrHistogram\'s percentile-distribution format (plot it with HdrHistogram\'s plotter)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l report-html -d 'Also write the report to FILE as a self-contained HTML page with the throughput and latency plots (opens offline)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l workers -d 'aws: publish from N `load-generator` Lambda workers instead of this machine; each sends every N-th order of the schedule, and their figures are merged exactly. On an endpoint without Lambda they run here, under a local Lambda Runtime API' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l worker-memory -d 'aws: each worker\'s memory (Lambda gives CPU in proportion: 1769 MB is one vCPU)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l worker-timeout -d 'aws: each worker invocation\'s timeout, whole seconds up to Lambda\'s 15m; a longer run is handed on to fresh invocations' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l ready-timeout -d 'aws: how long every worker has to report ready; if one does not, nothing is sent' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l zips -d 'aws: deploy the load generator from DIR (`orderctl package --zips DIR`) instead of building it' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l source -d 'aws: build the load generator of this orderctl workspace (default: the one this orderctl carries)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l arch -d 'aws: the workers\' architecture' -r -f -a "x86-64\t''
arm64\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l worker-runner -d 'aws: where the workers run: `lambda` invokes the deployed function through Lambda\'s API, `local` runs them here; `auto` is `lambda` on AWS and `local` on any other Lambda endpoint' -r -f -a "auto\t''
lambda\t''
local\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l normal -d 'Shorthand for `--kind normal`'
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l high-value -d 'Shorthand for `--kind high-value`'
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -l fail -d 'Shorthand for `--kind fail`'
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand send" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l timeout -d 'How long to wait for the orders to reach their outcomes' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l junit -d 'Also write the checks as a JUnit XML report to FILE (for CI systems)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l zips -d 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l source -d 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l arch -d 'aws: the functions\' architecture' -r -f -a "x86-64\t''
arm64\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l max-receive-count -d 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l visibility-timeout -d 'Visibility timeout of the queues (≥ 6 × the function timeout)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l function-timeout -d 'Timeout of the functions' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l batch-size -d 'Records per batch of each event source mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l batching-window -d 'How long a mapping waits to fill a batch' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l concurrency -d 'Concurrent batches of the `orders` mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l threshold -d 'Orders above this amount fail by rule and are reviewed' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l alarm-period -d 'Period of the DLQ alarm' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l log-retention -d 'Days the functions\' log groups keep their events (aws; one of CloudWatch Logs\' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l alert-email -d 'Subscribe this address to the `alerts` topic' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l down -d 'Tear the stack down afterwards, even when a check failed'
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l adopt -d 'aws: take over resources with the stack\'s names that lack its tag (by default `up` refuses to touch them)'
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -l disable-mappings -d 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand smoke" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l time-scale -d 'Multiply every stage\'s duration by this (e.g. `0.1` for a quick rehearsal)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l rate-scale -d 'Multiply every stage\'s rate by this' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l mix -d 'Override the scenario\'s order mix' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l wait -d 'Override how long to wait for the orders to settle' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l p99-ms -d 'Override the scenario\'s p99 end-to-end threshold, in milliseconds' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l hdr-out -d 'Also write the end-to-end latency distribution to FILE (HdrHistogram format)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l report-html -d 'Also write the report to FILE as a self-contained HTML page with plots' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l workers -d 'aws: publish from N `load-generator` Lambda workers instead of this machine; each sends every N-th order of the schedule, and their figures are merged exactly. On an endpoint without Lambda they run here, under a local Lambda Runtime API' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l worker-memory -d 'aws: each worker\'s memory (Lambda gives CPU in proportion: 1769 MB is one vCPU)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l worker-timeout -d 'aws: each worker invocation\'s timeout, whole seconds up to Lambda\'s 15m; a longer run is handed on to fresh invocations' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l ready-timeout -d 'aws: how long every worker has to report ready; if one does not, nothing is sent' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l zips -d 'aws: deploy the load generator from DIR (`orderctl package --zips DIR`) instead of building it' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l source -d 'aws: build the load generator of this orderctl workspace (default: the one this orderctl carries)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l arch -d 'aws: the workers\' architecture' -r -f -a "x86-64\t''
arm64\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l worker-runner -d 'aws: where the workers run: `lambda` invokes the deployed function through Lambda\'s API, `local` runs them here; `auto` is `lambda` on AWS and `local` on any other Lambda endpoint' -r -f -a "auto\t''
lambda\t''
local\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand run" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -l wait -d 'Give up after this long' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand drain" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l status -d 'Only orders with this status' -r -f -a "completed\t''
failed\t''
retrying\t''
dead-lettered\t'Also `DEAD_LETTERED`, as the table writes it'"
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l kind -d 'Only orders of this kind' -r -f -a "normal\t''
high-value\t''
fail\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l run -d 'Only orders of this load run (the run id `send` reports)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l since -d 'Only orders created since then: a duration back from now (`10m`, `2h`) or an RFC 3339 instant in UTC (`2026-12-01T08:00:00Z`)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l limit -d 'At most this many orders' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand orders" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand trace" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l function -d 'Only this function\'s lines (repeatable; default: every function)' -r -f -a "order-worker\t''
high-value-worker\t''
create-order\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l since -d 'Lines since then: a duration back from now (`10m`, `2h`) or an RFC 3339 instant in UTC' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l filter -d 'A CloudWatch Logs filter pattern: terms (`FAIL`, `"two words"`, `?any`, `-not`) or JSON selectors (`{ $.level = "error" && $.attempts >= 3 }`)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l order-id -d 'Only the lines about this order' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -s f -l follow -d 'Keep printing new lines until interrupted (Ctrl-C)'
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand logs" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -f -a "inspect" -d 'List the DLQ\'s messages with the reason each failed, grouped by reason'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -f -a "redrive" -d 'Move messages from the DLQ back to their source queue, to be processed again'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -f -a "purge" -d 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and not __fish_seen_subcommand_from inspect redrive purge help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l limit -d 'Show at most this many messages (all count in the grouping by reason)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l order-id -d 'Show only the messages of this order' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l limit -d 'Move at most this many messages' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l order-id -d 'Move only the messages of this order' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l kind -d 'Move only orders of this kind' -r -f -a "normal\t''
high-value\t''
fail\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l filter -d 'Move only messages whose failure reason contains TEXT' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l set-notes -d 'Set each moved order\'s `notes` to TEXT (repair what made it fail)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l rate -d 'Messages per second (at most 500, SQS\'s limit for a move task)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l wait -d 'After moving, follow the moved orders this long and say what became of them' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -l dry-run -d 'Show what would move and move nothing'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from redrive" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'List the DLQ\'s messages with the reason each failed, grouped by reason'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "redrive" -d 'Move messages from the DLQ back to their source queue, to be processed again'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "purge" -d 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)'
complete -c orderctl -n "__fish_orderctl_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l arch -d 'Lambda architecture to build for; `all` builds every one whose Rust target is installed' -r -f -a "x86_64\t''
arm64\t''
all\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l source -d 'Build the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l zips -d 'Where to write the zips' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -l no-build -d 'Package the binaries already built; do not run cargo'
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand package" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -f -a "cloudformation" -d 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack\'s name, the code bucket and the alert e-mail'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l out -d 'The directory to write the template and the zips to' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l format -d '`cloudformation` (plain, `cloudformation.yaml`) or `sam` (the AWS SAM form, `template.yaml`)' -r -f -a "cloudformation\t''
sam\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l zips -d 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l source -d 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l arch -d 'aws: the functions\' architecture' -r -f -a "x86-64\t''
arm64\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l max-receive-count -d 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l visibility-timeout -d 'Visibility timeout of the queues (≥ 6 × the function timeout)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l function-timeout -d 'Timeout of the functions' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l batch-size -d 'Records per batch of each event source mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l batching-window -d 'How long a mapping waits to fill a batch' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l concurrency -d 'Concurrent batches of the `orders` mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l threshold -d 'Orders above this amount fail by rule and are reviewed' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l alarm-period -d 'Period of the DLQ alarm' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l log-retention -d 'Days the functions\' log groups keep their events (aws; one of CloudWatch Logs\' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l alert-email -d 'Subscribe this address to the `alerts` topic' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l adopt -d 'aws: take over resources with the stack\'s names that lack its tag (by default `up` refuses to touch them)'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l disable-mappings -d 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "cloudformation" -d 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack\'s name, the code bucket and the alert e-mail'
complete -c orderctl -n "__fish_orderctl_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -f -a "invoke" -d 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -f -a "mappings" -d 'Poll the stack\'s queues as Lambda\'s event source mappings do and feed the batches to the packaged handlers, and forward the table\'s stream through the stack\'s pipe: for endpoints that run no Lambda code and no pipes (moto)'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and not __fish_seen_subcommand_from invoke mappings help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l event -d 'The event, a JSON file (`-` for stdin)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l zip -d 'The deployment zip (default: `target/lambda/<handler>-x86_64.zip`)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l env -d 'Environment for the function, `NAME=VALUE` (repeatable); AWS_* variables of this process are passed on' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l timeout -d 'The function\'s timeout' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from invoke" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l zips -d 'Where the deployment zips are (`orderctl package --zips DIR`)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l idle -d 'Stop once every queue and the stream have been quiet this long (default: run until Ctrl-C)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l timeout -d 'The functions\' timeout' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from mappings" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from help" -f -a "invoke" -d 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from help" -f -a "mappings" -d 'Poll the stack\'s queues as Lambda\'s event source mappings do and feed the batches to the packaged handlers, and forward the table\'s stream through the stack\'s pipe: for endpoints that run no Lambda code and no pipes (moto)'
complete -c orderctl -n "__fish_orderctl_using_subcommand lambda; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l max-receive-count -d 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l visibility-timeout -d 'Visibility timeout of the queues (≥ 6 × the function timeout)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l function-timeout -d 'Timeout of the functions' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l batch-size -d 'Records per batch of each event source mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l batching-window -d 'How long a mapping waits to fill a batch' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l concurrency -d 'Concurrent batches of the `orders` mapping' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l threshold -d 'Orders above this amount fail by rule and are reviewed' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l alarm-period -d 'Period of the DLQ alarm' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l log-retention -d 'Days the functions\' log groups keep their events (aws; one of CloudWatch Logs\' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l alert-email -d 'Subscribe this address to the `alerts` topic' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -l disable-mappings -d 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand config" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -s p -l port -d 'Port on 127.0.0.1 (`0`: any free port; the address is printed at start)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand ui" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -l stack -d 'Name of the stack: every resource name starts with it' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -l target -d 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`' -r -f -a "local\t''
aws\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -s o -l output -d 'Format of the results printed on stdout' -r -f -a "text\t''
json\t''"
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -l endpoint-url -d 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service\'s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile\'s `services` section) wins for it, as in the AWS CLI and SDKs' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -l region -d 'For `--target aws`: the region (default: the AWS configuration\'s)' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -l profile -d 'For `--target aws`: the named profile of the AWS configuration' -r
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -l state-dir -d 'Directory holding the local target\'s stacks (one subdirectory per stack)' -r -F
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (needed by destructive commands without a terminal)'
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -s v -l verbose -d 'Log to stderr: `-v` orderctl\'s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK\'s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
complete -c orderctl -n "__fish_orderctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "up" -d 'Create or update the stack\'s resources (idempotent: a second `up` changes nothing)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "down" -d 'Delete the stack\'s resources and data (only what carries the stack\'s tag)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "status" -d 'Show the stack\'s resources, queue depths, alarm state and order counts'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "send" -d 'Publish synthetic orders at a total rate, wait until they settle, report'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "smoke" -d 'The CI check: bring the stack up if needed, send one order of each kind, and check each reaches its expected outcome (exit 0 only if every one does)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "run" -d 'Run a load scenario from a file (stages, mix, thresholds that set the exit code)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "drain" -d 'Run the local pipeline until every queue is empty (for example after a crash)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "orders" -d 'List the table\'s orders, newest first, filtered by status, kind, run and age'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "trace" -d 'One order through every hop, in time order: published, each receive and its result, the DLQ, each write of the order, the pipe, the review; where it is now, and the log lines that mention it. Exit 1 if the order is unknown'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "logs" -d 'The stack\'s function logs, interleaved by time'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "dlq" -d 'Operate the dead-letter queue'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "package" -d 'Build the Lambda handlers and write one reproducible deployment zip each'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "export" -d 'Write the stack as infrastructure as code, with the handler zips beside it'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "lambda" -d 'Run the packaged handlers locally: one invocation, or the stack\'s event source mappings against an AWS-compatible endpoint'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "config" -d 'Print the effective configuration and where each value comes from (flag, environment, `orderctl.toml`, default)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "ui" -d 'Serve a page on 127.0.0.1 with an order form and a live dashboard of the stack (orders by status, queue and DLQ depths, alarm and alerts, throughput and latency plots, the DLQ\'s messages with a redrive button)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "completions" -d 'Print a shell completion script (also committed under `completions/`)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and not __fish_seen_subcommand_from up down status send smoke run drain orders trace logs dlq package export lambda config ui completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "inspect" -d 'List the DLQ\'s messages with the reason each failed, grouped by reason'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "redrive" -d 'Move messages from the DLQ back to their source queue, to be processed again'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "purge" -d 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and __fish_seen_subcommand_from export" -f -a "cloudformation" -d 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack\'s name, the code bucket and the alert e-mail'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and __fish_seen_subcommand_from lambda" -f -a "invoke" -d 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response'
complete -c orderctl -n "__fish_orderctl_using_subcommand help; and __fish_seen_subcommand_from lambda" -f -a "mappings" -d 'Poll the stack\'s queues as Lambda\'s event source mappings do and feed the batches to the packaged handlers, and forward the table\'s stream through the stack\'s pipe: for endpoints that run no Lambda code and no pipes (moto)'
