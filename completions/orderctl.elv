
use builtin;
use str;

set edit:completion:arg-completer[orderctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'orderctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'orderctl'= {
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand up 'Create or update the stack''s resources (idempotent: a second `up` changes nothing)'
            cand down 'Delete the stack''s resources and data (only what carries the stack''s tag)'
            cand status 'Show the stack''s resources, queue depths, alarm state and order counts'
            cand send 'Publish synthetic orders at a total rate, wait until they settle, report'
            cand smoke 'The CI check: bring the stack up if needed, send one order of each kind, and check each reaches its expected outcome (exit 0 only if every one does)'
            cand run 'Run a load scenario from a file (stages, mix, thresholds that set the exit code)'
            cand drain 'Run the local pipeline until every queue is empty (for example after a crash)'
            cand orders 'List the table''s orders, newest first, filtered by status, kind, run and age'
            cand trace 'One order through every hop, in time order: published, each receive and its result, the DLQ, each write of the order, the pipe, the review; where it is now, and the log lines that mention it. Exit 1 if the order is unknown'
            cand logs 'The stack''s function logs, interleaved by time'
            cand dlq 'Operate the dead-letter queue'
            cand package 'Build the Lambda handlers and write one reproducible deployment zip each'
            cand export 'Write the stack as infrastructure as code, with the handler zips beside it'
            cand lambda 'Run the packaged handlers locally: one invocation, or the stack''s event source mappings against an AWS-compatible endpoint'
            cand config 'Print the effective configuration and where each value comes from (flag, environment, `orderctl.toml`, default)'
            cand ui 'Serve a page on 127.0.0.1 with an order form and a live dashboard of the stack (orders by status, queue and DLQ depths, alarm and alerts, throughput and latency plots, the DLQ''s messages with a redrive button)'
            cand completions 'Print a shell completion script (also committed under `completions/`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'orderctl;up'= {
            cand --zips 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers'
            cand --source 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)'
            cand --arch 'aws: the functions'' architecture'
            cand --max-receive-count 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)'
            cand --visibility-timeout 'Visibility timeout of the queues (≥ 6 × the function timeout)'
            cand --function-timeout 'Timeout of the functions'
            cand --batch-size 'Records per batch of each event source mapping'
            cand --batching-window 'How long a mapping waits to fill a batch'
            cand --concurrency 'Concurrent batches of the `orders` mapping'
            cand --threshold 'Orders above this amount fail by rule and are reviewed'
            cand --alarm-period 'Period of the DLQ alarm'
            cand --log-retention 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)'
            cand --alert-email 'Subscribe this address to the `alerts` topic'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand --dry-run 'Show the plan and change nothing'
            cand --adopt 'aws: take over resources with the stack''s names that lack its tag (by default `up` refuses to touch them)'
            cand --disable-mappings 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;down'= {
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;status'= {
            cand --watch 'Refresh every DURATION (in place at a terminal; otherwise one report, or one JSON line, per refresh) until Ctrl-C'
            cand --max-receive-count 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)'
            cand --visibility-timeout 'Visibility timeout of the queues (≥ 6 × the function timeout)'
            cand --function-timeout 'Timeout of the functions'
            cand --batch-size 'Records per batch of each event source mapping'
            cand --batching-window 'How long a mapping waits to fill a batch'
            cand --concurrency 'Concurrent batches of the `orders` mapping'
            cand --threshold 'Orders above this amount fail by rule and are reviewed'
            cand --alarm-period 'Period of the DLQ alarm'
            cand --log-retention 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)'
            cand --alert-email 'Subscribe this address to the `alerts` topic'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand --disable-mappings 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;send'= {
            cand --kind 'Send only orders of this kind'
            cand --mix 'Share of each kind, e.g. `normal=8,high-value=1,fail=1` (the default)'
            cand -n 'How many orders to send (default 100 unless `--duration` is given)'
            cand --count 'How many orders to send (default 100 unless `--duration` is given)'
            cand -d 'Send for this long instead of a count, e.g. `30s`'
            cand --duration 'Send for this long instead of a count, e.g. `30s`'
            cand -r 'Total orders per second across all senders, on a fixed schedule'
            cand --rate 'Total orders per second across all senders, on a fixed schedule'
            cand --wait 'How long to wait for the orders to settle after the last send (`0s`: publish only; the orders are then reported in flight)'
            cand --hdr-out 'Also write the end-to-end latency distribution to FILE, in HdrHistogram''s percentile-distribution format (plot it with HdrHistogram''s plotter)'
            cand --report-html 'Also write the report to FILE as a self-contained HTML page with the throughput and latency plots (opens offline)'
            cand --workers 'aws: publish from N `load-generator` Lambda workers instead of this machine; each sends every N-th order of the schedule, and their figures are merged exactly. On an endpoint without Lambda they run here, under a local Lambda Runtime API'
            cand --worker-memory 'aws: each worker''s memory (Lambda gives CPU in proportion: 1769 MB is one vCPU)'
            cand --worker-timeout 'aws: each worker invocation''s timeout, whole seconds up to Lambda''s 15m; a longer run is handed on to fresh invocations'
            cand --ready-timeout 'aws: how long every worker has to report ready; if one does not, nothing is sent'
            cand --zips 'aws: deploy the load generator from DIR (`orderctl package --zips DIR`) instead of building it'
            cand --source 'aws: build the load generator of this orderctl workspace (default: the one this orderctl carries)'
            cand --arch 'aws: the workers'' architecture'
            cand --worker-runner 'aws: where the workers run: `lambda` invokes the deployed function through Lambda''s API, `local` runs them here; `auto` is `lambda` on AWS and `local` on any other Lambda endpoint'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand --normal 'Shorthand for `--kind normal`'
            cand --high-value 'Shorthand for `--kind high-value`'
            cand --fail 'Shorthand for `--kind fail`'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;smoke'= {
            cand --timeout 'How long to wait for the orders to reach their outcomes'
            cand --junit 'Also write the checks as a JUnit XML report to FILE (for CI systems)'
            cand --zips 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers'
            cand --source 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)'
            cand --arch 'aws: the functions'' architecture'
            cand --max-receive-count 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)'
            cand --visibility-timeout 'Visibility timeout of the queues (≥ 6 × the function timeout)'
            cand --function-timeout 'Timeout of the functions'
            cand --batch-size 'Records per batch of each event source mapping'
            cand --batching-window 'How long a mapping waits to fill a batch'
            cand --concurrency 'Concurrent batches of the `orders` mapping'
            cand --threshold 'Orders above this amount fail by rule and are reviewed'
            cand --alarm-period 'Period of the DLQ alarm'
            cand --log-retention 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)'
            cand --alert-email 'Subscribe this address to the `alerts` topic'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand --down 'Tear the stack down afterwards, even when a check failed'
            cand --adopt 'aws: take over resources with the stack''s names that lack its tag (by default `up` refuses to touch them)'
            cand --disable-mappings 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;run'= {
            cand --time-scale 'Multiply every stage''s duration by this (e.g. `0.1` for a quick rehearsal)'
            cand --rate-scale 'Multiply every stage''s rate by this'
            cand --mix 'Override the scenario''s order mix'
            cand --wait 'Override how long to wait for the orders to settle'
            cand --p99-ms 'Override the scenario''s p99 end-to-end threshold, in milliseconds'
            cand --hdr-out 'Also write the end-to-end latency distribution to FILE (HdrHistogram format)'
            cand --report-html 'Also write the report to FILE as a self-contained HTML page with plots'
            cand --workers 'aws: publish from N `load-generator` Lambda workers instead of this machine; each sends every N-th order of the schedule, and their figures are merged exactly. On an endpoint without Lambda they run here, under a local Lambda Runtime API'
            cand --worker-memory 'aws: each worker''s memory (Lambda gives CPU in proportion: 1769 MB is one vCPU)'
            cand --worker-timeout 'aws: each worker invocation''s timeout, whole seconds up to Lambda''s 15m; a longer run is handed on to fresh invocations'
            cand --ready-timeout 'aws: how long every worker has to report ready; if one does not, nothing is sent'
            cand --zips 'aws: deploy the load generator from DIR (`orderctl package --zips DIR`) instead of building it'
            cand --source 'aws: build the load generator of this orderctl workspace (default: the one this orderctl carries)'
            cand --arch 'aws: the workers'' architecture'
            cand --worker-runner 'aws: where the workers run: `lambda` invokes the deployed function through Lambda''s API, `local` runs them here; `auto` is `lambda` on AWS and `local` on any other Lambda endpoint'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;drain'= {
            cand --wait 'Give up after this long'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;orders'= {
            cand --status 'Only orders with this status'
            cand --kind 'Only orders of this kind'
            cand --run 'Only orders of this load run (the run id `send` reports)'
            cand --since 'Only orders created since then: a duration back from now (`10m`, `2h`) or an RFC 3339 instant in UTC (`2026-12-01T08:00:00Z`)'
            cand --limit 'At most this many orders'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'orderctl;trace'= {
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;logs'= {
            cand --function 'Only this function''s lines (repeatable; default: every function)'
            cand --since 'Lines since then: a duration back from now (`10m`, `2h`) or an RFC 3339 instant in UTC'
            cand --filter 'A CloudWatch Logs filter pattern: terms (`FAIL`, `"two words"`, `?any`, `-not`) or JSON selectors (`{ $.level = "error" && $.attempts >= 3 }`)'
            cand --order-id 'Only the lines about this order'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -f 'Keep printing new lines until interrupted (Ctrl-C)'
            cand --follow 'Keep printing new lines until interrupted (Ctrl-C)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;dlq'= {
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
            cand inspect 'List the DLQ''s messages with the reason each failed, grouped by reason'
            cand redrive 'Move messages from the DLQ back to their source queue, to be processed again'
            cand purge 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'orderctl;dlq;inspect'= {
            cand --limit 'Show at most this many messages (all count in the grouping by reason)'
            cand --order-id 'Show only the messages of this order'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'orderctl;dlq;redrive'= {
            cand --limit 'Move at most this many messages'
            cand --order-id 'Move only the messages of this order'
            cand --kind 'Move only orders of this kind'
            cand --filter 'Move only messages whose failure reason contains TEXT'
            cand --set-notes 'Set each moved order''s `notes` to TEXT (repair what made it fail)'
            cand --rate 'Messages per second (at most 500, SQS''s limit for a move task)'
            cand --wait 'After moving, follow the moved orders this long and say what became of them'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand --dry-run 'Show what would move and move nothing'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'orderctl;dlq;purge'= {
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;dlq;help'= {
            cand inspect 'List the DLQ''s messages with the reason each failed, grouped by reason'
            cand redrive 'Move messages from the DLQ back to their source queue, to be processed again'
            cand purge 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'orderctl;dlq;help;inspect'= {
        }
        &'orderctl;dlq;help;redrive'= {
        }
        &'orderctl;dlq;help;purge'= {
        }
        &'orderctl;dlq;help;help'= {
        }
        &'orderctl;package'= {
            cand --arch 'Lambda architecture to build for; `all` builds every one whose Rust target is installed'
            cand --source 'Build the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)'
            cand --zips 'Where to write the zips'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand --no-build 'Package the binaries already built; do not run cargo'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;export'= {
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
            cand cloudformation 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack''s name, the code bucket and the alert e-mail'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'orderctl;export;cloudformation'= {
            cand --out 'The directory to write the template and the zips to'
            cand --format '`cloudformation` (plain, `cloudformation.yaml`) or `sam` (the AWS SAM form, `template.yaml`)'
            cand --zips 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers'
            cand --source 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)'
            cand --arch 'aws: the functions'' architecture'
            cand --max-receive-count 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)'
            cand --visibility-timeout 'Visibility timeout of the queues (≥ 6 × the function timeout)'
            cand --function-timeout 'Timeout of the functions'
            cand --batch-size 'Records per batch of each event source mapping'
            cand --batching-window 'How long a mapping waits to fill a batch'
            cand --concurrency 'Concurrent batches of the `orders` mapping'
            cand --threshold 'Orders above this amount fail by rule and are reviewed'
            cand --alarm-period 'Period of the DLQ alarm'
            cand --log-retention 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)'
            cand --alert-email 'Subscribe this address to the `alerts` topic'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand --adopt 'aws: take over resources with the stack''s names that lack its tag (by default `up` refuses to touch them)'
            cand --disable-mappings 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;export;help'= {
            cand cloudformation 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack''s name, the code bucket and the alert e-mail'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'orderctl;export;help;cloudformation'= {
        }
        &'orderctl;export;help;help'= {
        }
        &'orderctl;lambda'= {
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
            cand invoke 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response'
            cand mappings 'Poll the stack''s queues as Lambda''s event source mappings do and feed the batches to the packaged handlers, and forward the table''s stream through the stack''s pipe: for endpoints that run no Lambda code and no pipes (moto)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'orderctl;lambda;invoke'= {
            cand --event 'The event, a JSON file (`-` for stdin)'
            cand --zip 'The deployment zip (default: `target/lambda/<handler>-x86_64.zip`)'
            cand --env 'Environment for the function, `NAME=VALUE` (repeatable); AWS_* variables of this process are passed on'
            cand --timeout 'The function''s timeout'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;lambda;mappings'= {
            cand --zips 'Where the deployment zips are (`orderctl package --zips DIR`)'
            cand --idle 'Stop once every queue and the stream have been quiet this long (default: run until Ctrl-C)'
            cand --timeout 'The functions'' timeout'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;lambda;help'= {
            cand invoke 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response'
            cand mappings 'Poll the stack''s queues as Lambda''s event source mappings do and feed the batches to the packaged handlers, and forward the table''s stream through the stack''s pipe: for endpoints that run no Lambda code and no pipes (moto)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'orderctl;lambda;help;invoke'= {
        }
        &'orderctl;lambda;help;mappings'= {
        }
        &'orderctl;lambda;help;help'= {
        }
        &'orderctl;config'= {
            cand --max-receive-count 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)'
            cand --visibility-timeout 'Visibility timeout of the queues (≥ 6 × the function timeout)'
            cand --function-timeout 'Timeout of the functions'
            cand --batch-size 'Records per batch of each event source mapping'
            cand --batching-window 'How long a mapping waits to fill a batch'
            cand --concurrency 'Concurrent batches of the `orders` mapping'
            cand --threshold 'Orders above this amount fail by rule and are reviewed'
            cand --alarm-period 'Period of the DLQ alarm'
            cand --log-retention 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)'
            cand --alert-email 'Subscribe this address to the `alerts` topic'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand --disable-mappings 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;ui'= {
            cand -p 'Port on 127.0.0.1 (`0`: any free port; the address is printed at start)'
            cand --port 'Port on 127.0.0.1 (`0`: any free port; the address is printed at start)'
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;completions'= {
            cand --stack 'Name of the stack: every resource name starts with it'
            cand --target 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`'
            cand -o 'Format of the results printed on stdout'
            cand --output 'Format of the results printed on stdout'
            cand --endpoint-url 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs'
            cand --region 'For `--target aws`: the region (default: the AWS configuration''s)'
            cand --profile 'For `--target aws`: the named profile of the AWS configuration'
            cand --state-dir 'Directory holding the local target''s stacks (one subdirectory per stack)'
            cand -y 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed by destructive commands without a terminal)'
            cand -v 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand --verbose 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'orderctl;help'= {
            cand up 'Create or update the stack''s resources (idempotent: a second `up` changes nothing)'
            cand down 'Delete the stack''s resources and data (only what carries the stack''s tag)'
            cand status 'Show the stack''s resources, queue depths, alarm state and order counts'
            cand send 'Publish synthetic orders at a total rate, wait until they settle, report'
            cand smoke 'The CI check: bring the stack up if needed, send one order of each kind, and check each reaches its expected outcome (exit 0 only if every one does)'
            cand run 'Run a load scenario from a file (stages, mix, thresholds that set the exit code)'
            cand drain 'Run the local pipeline until every queue is empty (for example after a crash)'
            cand orders 'List the table''s orders, newest first, filtered by status, kind, run and age'
            cand trace 'One order through every hop, in time order: published, each receive and its result, the DLQ, each write of the order, the pipe, the review; where it is now, and the log lines that mention it. Exit 1 if the order is unknown'
            cand logs 'The stack''s function logs, interleaved by time'
            cand dlq 'Operate the dead-letter queue'
            cand package 'Build the Lambda handlers and write one reproducible deployment zip each'
            cand export 'Write the stack as infrastructure as code, with the handler zips beside it'
            cand lambda 'Run the packaged handlers locally: one invocation, or the stack''s event source mappings against an AWS-compatible endpoint'
            cand config 'Print the effective configuration and where each value comes from (flag, environment, `orderctl.toml`, default)'
            cand ui 'Serve a page on 127.0.0.1 with an order form and a live dashboard of the stack (orders by status, queue and DLQ depths, alarm and alerts, throughput and latency plots, the DLQ''s messages with a redrive button)'
            cand completions 'Print a shell completion script (also committed under `completions/`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'orderctl;help;up'= {
        }
        &'orderctl;help;down'= {
        }
        &'orderctl;help;status'= {
        }
        &'orderctl;help;send'= {
        }
        &'orderctl;help;smoke'= {
        }
        &'orderctl;help;run'= {
        }
        &'orderctl;help;drain'= {
        }
        &'orderctl;help;orders'= {
        }
        &'orderctl;help;trace'= {
        }
        &'orderctl;help;logs'= {
        }
        &'orderctl;help;dlq'= {
            cand inspect 'List the DLQ''s messages with the reason each failed, grouped by reason'
            cand redrive 'Move messages from the DLQ back to their source queue, to be processed again'
            cand purge 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)'
        }
        &'orderctl;help;dlq;inspect'= {
        }
        &'orderctl;help;dlq;redrive'= {
        }
        &'orderctl;help;dlq;purge'= {
        }
        &'orderctl;help;package'= {
        }
        &'orderctl;help;export'= {
            cand cloudformation 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack''s name, the code bucket and the alert e-mail'
        }
        &'orderctl;help;export;cloudformation'= {
        }
        &'orderctl;help;lambda'= {
            cand invoke 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response'
            cand mappings 'Poll the stack''s queues as Lambda''s event source mappings do and feed the batches to the packaged handlers, and forward the table''s stream through the stack''s pipe: for endpoints that run no Lambda code and no pipes (moto)'
        }
        &'orderctl;help;lambda;invoke'= {
        }
        &'orderctl;help;lambda;mappings'= {
        }
        &'orderctl;help;config'= {
        }
        &'orderctl;help;ui'= {
        }
        &'orderctl;help;completions'= {
        }
        &'orderctl;help;help'= {
        }
    ]
    $completions[$command]
}
