
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'orderctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'orderctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'orderctl' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Create or update the stack''s resources (idempotent: a second `up` changes nothing)')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Delete the stack''s resources and data (only what carries the stack''s tag)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the stack''s resources, queue depths, alarm state and order counts')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Publish synthetic orders at a total rate, wait until they settle, report')
            [CompletionResult]::new('smoke', 'smoke', [CompletionResultType]::ParameterValue, 'The CI check: bring the stack up if needed, send one order of each kind, and check each reaches its expected outcome (exit 0 only if every one does)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a load scenario from a file (stages, mix, thresholds that set the exit code)')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Run the local pipeline until every queue is empty (for example after a crash)')
            [CompletionResult]::new('orders', 'orders', [CompletionResultType]::ParameterValue, 'List the table''s orders, newest first, filtered by status, kind, run and age')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'One order through every hop, in time order: published, each receive and its result, the DLQ, each write of the order, the pipe, the review; where it is now, and the log lines that mention it. Exit 1 if the order is unknown')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The stack''s function logs, interleaved by time')
            [CompletionResult]::new('dlq', 'dlq', [CompletionResultType]::ParameterValue, 'Operate the dead-letter queue')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Build the Lambda handlers and write one reproducible deployment zip each')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the stack as infrastructure as code, with the handler zips beside it')
            [CompletionResult]::new('lambda', 'lambda', [CompletionResultType]::ParameterValue, 'Run the packaged handlers locally: one invocation, or the stack''s event source mappings against an AWS-compatible endpoint')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the effective configuration and where each value comes from (flag, environment, `orderctl.toml`, default)')
            [CompletionResult]::new('ui', 'ui', [CompletionResultType]::ParameterValue, 'Serve a page on 127.0.0.1 with an order form and a live dashboard of the stack (orders by status, queue and DLQ depths, alarm and alerts, throughput and latency plots, the DLQ''s messages with a redrive button)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (also committed under `completions/`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'orderctl;up' {
            [CompletionResult]::new('--zips', '--zips', [CompletionResultType]::ParameterName, 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'aws: the functions'' architecture')
            [CompletionResult]::new('--max-receive-count', '--max-receive-count', [CompletionResultType]::ParameterName, 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)')
            [CompletionResult]::new('--visibility-timeout', '--visibility-timeout', [CompletionResultType]::ParameterName, 'Visibility timeout of the queues (≥ 6 × the function timeout)')
            [CompletionResult]::new('--function-timeout', '--function-timeout', [CompletionResultType]::ParameterName, 'Timeout of the functions')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Records per batch of each event source mapping')
            [CompletionResult]::new('--batching-window', '--batching-window', [CompletionResultType]::ParameterName, 'How long a mapping waits to fill a batch')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Concurrent batches of the `orders` mapping')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Orders above this amount fail by rule and are reviewed')
            [CompletionResult]::new('--alarm-period', '--alarm-period', [CompletionResultType]::ParameterName, 'Period of the DLQ alarm')
            [CompletionResult]::new('--log-retention', '--log-retention', [CompletionResultType]::ParameterName, 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)')
            [CompletionResult]::new('--alert-email', '--alert-email', [CompletionResultType]::ParameterName, 'Subscribe this address to the `alerts` topic')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and change nothing')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'aws: take over resources with the stack''s names that lack its tag (by default `up` refuses to touch them)')
            [CompletionResult]::new('--disable-mappings', '--disable-mappings', [CompletionResultType]::ParameterName, 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;down' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;status' {
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Refresh every DURATION (in place at a terminal; otherwise one report, or one JSON line, per refresh) until Ctrl-C')
            [CompletionResult]::new('--max-receive-count', '--max-receive-count', [CompletionResultType]::ParameterName, 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)')
            [CompletionResult]::new('--visibility-timeout', '--visibility-timeout', [CompletionResultType]::ParameterName, 'Visibility timeout of the queues (≥ 6 × the function timeout)')
            [CompletionResult]::new('--function-timeout', '--function-timeout', [CompletionResultType]::ParameterName, 'Timeout of the functions')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Records per batch of each event source mapping')
            [CompletionResult]::new('--batching-window', '--batching-window', [CompletionResultType]::ParameterName, 'How long a mapping waits to fill a batch')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Concurrent batches of the `orders` mapping')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Orders above this amount fail by rule and are reviewed')
            [CompletionResult]::new('--alarm-period', '--alarm-period', [CompletionResultType]::ParameterName, 'Period of the DLQ alarm')
            [CompletionResult]::new('--log-retention', '--log-retention', [CompletionResultType]::ParameterName, 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)')
            [CompletionResult]::new('--alert-email', '--alert-email', [CompletionResultType]::ParameterName, 'Subscribe this address to the `alerts` topic')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('--disable-mappings', '--disable-mappings', [CompletionResultType]::ParameterName, 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;send' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Send only orders of this kind')
            [CompletionResult]::new('--mix', '--mix', [CompletionResultType]::ParameterName, 'Share of each kind, e.g. `normal=8,high-value=1,fail=1` (the default)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many orders to send (default 100 unless `--duration` is given)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many orders to send (default 100 unless `--duration` is given)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Send for this long instead of a count, e.g. `30s`')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Send for this long instead of a count, e.g. `30s`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Total orders per second across all senders, on a fixed schedule')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Total orders per second across all senders, on a fixed schedule')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for the orders to settle after the last send (`0s`: publish only; the orders are then reported in flight)')
            [CompletionResult]::new('--hdr-out', '--hdr-out', [CompletionResultType]::ParameterName, 'Also write the end-to-end latency distribution to FILE, in HdrHistogram''s percentile-distribution format (plot it with HdrHistogram''s plotter)')
            [CompletionResult]::new('--report-html', '--report-html', [CompletionResultType]::ParameterName, 'Also write the report to FILE as a self-contained HTML page with the throughput and latency plots (opens offline)')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'aws: publish from N `load-generator` Lambda workers instead of this machine; each sends every N-th order of the schedule, and their figures are merged exactly. On an endpoint without Lambda they run here, under a local Lambda Runtime API')
            [CompletionResult]::new('--worker-memory', '--worker-memory', [CompletionResultType]::ParameterName, 'aws: each worker''s memory (Lambda gives CPU in proportion: 1769 MB is one vCPU)')
            [CompletionResult]::new('--worker-timeout', '--worker-timeout', [CompletionResultType]::ParameterName, 'aws: each worker invocation''s timeout, whole seconds up to Lambda''s 15m; a longer run is handed on to fresh invocations')
            [CompletionResult]::new('--ready-timeout', '--ready-timeout', [CompletionResultType]::ParameterName, 'aws: how long every worker has to report ready; if one does not, nothing is sent')
            [CompletionResult]::new('--zips', '--zips', [CompletionResultType]::ParameterName, 'aws: deploy the load generator from DIR (`orderctl package --zips DIR`) instead of building it')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'aws: build the load generator of this orderctl workspace (default: the one this orderctl carries)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'aws: the workers'' architecture')
            [CompletionResult]::new('--worker-runner', '--worker-runner', [CompletionResultType]::ParameterName, 'aws: where the workers run: `lambda` invokes the deployed function through Lambda''s API, `local` runs them here; `auto` is `lambda` on AWS and `local` on any other Lambda endpoint')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('--normal', '--normal', [CompletionResultType]::ParameterName, 'Shorthand for `--kind normal`')
            [CompletionResult]::new('--high-value', '--high-value', [CompletionResultType]::ParameterName, 'Shorthand for `--kind high-value`')
            [CompletionResult]::new('--fail', '--fail', [CompletionResultType]::ParameterName, 'Shorthand for `--kind fail`')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;smoke' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the orders to reach their outcomes')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Also write the checks as a JUnit XML report to FILE (for CI systems)')
            [CompletionResult]::new('--zips', '--zips', [CompletionResultType]::ParameterName, 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'aws: the functions'' architecture')
            [CompletionResult]::new('--max-receive-count', '--max-receive-count', [CompletionResultType]::ParameterName, 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)')
            [CompletionResult]::new('--visibility-timeout', '--visibility-timeout', [CompletionResultType]::ParameterName, 'Visibility timeout of the queues (≥ 6 × the function timeout)')
            [CompletionResult]::new('--function-timeout', '--function-timeout', [CompletionResultType]::ParameterName, 'Timeout of the functions')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Records per batch of each event source mapping')
            [CompletionResult]::new('--batching-window', '--batching-window', [CompletionResultType]::ParameterName, 'How long a mapping waits to fill a batch')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Concurrent batches of the `orders` mapping')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Orders above this amount fail by rule and are reviewed')
            [CompletionResult]::new('--alarm-period', '--alarm-period', [CompletionResultType]::ParameterName, 'Period of the DLQ alarm')
            [CompletionResult]::new('--log-retention', '--log-retention', [CompletionResultType]::ParameterName, 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)')
            [CompletionResult]::new('--alert-email', '--alert-email', [CompletionResultType]::ParameterName, 'Subscribe this address to the `alerts` topic')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('--down', '--down', [CompletionResultType]::ParameterName, 'Tear the stack down afterwards, even when a check failed')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'aws: take over resources with the stack''s names that lack its tag (by default `up` refuses to touch them)')
            [CompletionResult]::new('--disable-mappings', '--disable-mappings', [CompletionResultType]::ParameterName, 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;run' {
            [CompletionResult]::new('--time-scale', '--time-scale', [CompletionResultType]::ParameterName, 'Multiply every stage''s duration by this (e.g. `0.1` for a quick rehearsal)')
            [CompletionResult]::new('--rate-scale', '--rate-scale', [CompletionResultType]::ParameterName, 'Multiply every stage''s rate by this')
            [CompletionResult]::new('--mix', '--mix', [CompletionResultType]::ParameterName, 'Override the scenario''s order mix')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Override how long to wait for the orders to settle')
            [CompletionResult]::new('--p99-ms', '--p99-ms', [CompletionResultType]::ParameterName, 'Override the scenario''s p99 end-to-end threshold, in milliseconds')
            [CompletionResult]::new('--hdr-out', '--hdr-out', [CompletionResultType]::ParameterName, 'Also write the end-to-end latency distribution to FILE (HdrHistogram format)')
            [CompletionResult]::new('--report-html', '--report-html', [CompletionResultType]::ParameterName, 'Also write the report to FILE as a self-contained HTML page with plots')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'aws: publish from N `load-generator` Lambda workers instead of this machine; each sends every N-th order of the schedule, and their figures are merged exactly. On an endpoint without Lambda they run here, under a local Lambda Runtime API')
            [CompletionResult]::new('--worker-memory', '--worker-memory', [CompletionResultType]::ParameterName, 'aws: each worker''s memory (Lambda gives CPU in proportion: 1769 MB is one vCPU)')
            [CompletionResult]::new('--worker-timeout', '--worker-timeout', [CompletionResultType]::ParameterName, 'aws: each worker invocation''s timeout, whole seconds up to Lambda''s 15m; a longer run is handed on to fresh invocations')
            [CompletionResult]::new('--ready-timeout', '--ready-timeout', [CompletionResultType]::ParameterName, 'aws: how long every worker has to report ready; if one does not, nothing is sent')
            [CompletionResult]::new('--zips', '--zips', [CompletionResultType]::ParameterName, 'aws: deploy the load generator from DIR (`orderctl package --zips DIR`) instead of building it')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'aws: build the load generator of this orderctl workspace (default: the one this orderctl carries)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'aws: the workers'' architecture')
            [CompletionResult]::new('--worker-runner', '--worker-runner', [CompletionResultType]::ParameterName, 'aws: where the workers run: `lambda` invokes the deployed function through Lambda''s API, `local` runs them here; `auto` is `lambda` on AWS and `local` on any other Lambda endpoint')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;drain' {
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Give up after this long')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;orders' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only orders with this status')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only orders of this kind')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Only orders of this load run (the run id `send` reports)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only orders created since then: a duration back from now (`10m`, `2h`) or an RFC 3339 instant in UTC (`2026-12-01T08:00:00Z`)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many orders')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'orderctl;trace' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;logs' {
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Only this function''s lines (repeatable; default: every function)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Lines since then: a duration back from now (`10m`, `2h`) or an RFC 3339 instant in UTC')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A CloudWatch Logs filter pattern: terms (`FAIL`, `"two words"`, `?any`, `-not`) or JSON selectors (`{ $.level = "error" && $.attempts >= 3 }`)')
            [CompletionResult]::new('--order-id', '--order-id', [CompletionResultType]::ParameterName, 'Only the lines about this order')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new lines until interrupted (Ctrl-C)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new lines until interrupted (Ctrl-C)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;dlq' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'List the DLQ''s messages with the reason each failed, grouped by reason')
            [CompletionResult]::new('redrive', 'redrive', [CompletionResultType]::ParameterValue, 'Move messages from the DLQ back to their source queue, to be processed again')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'orderctl;dlq;inspect' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many messages (all count in the grouping by reason)')
            [CompletionResult]::new('--order-id', '--order-id', [CompletionResultType]::ParameterName, 'Show only the messages of this order')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'orderctl;dlq;redrive' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Move at most this many messages')
            [CompletionResult]::new('--order-id', '--order-id', [CompletionResultType]::ParameterName, 'Move only the messages of this order')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Move only orders of this kind')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Move only messages whose failure reason contains TEXT')
            [CompletionResult]::new('--set-notes', '--set-notes', [CompletionResultType]::ParameterName, 'Set each moved order''s `notes` to TEXT (repair what made it fail)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Messages per second (at most 500, SQS''s limit for a move task)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'After moving, follow the moved orders this long and say what became of them')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would move and move nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'orderctl;dlq;purge' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;dlq;help' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'List the DLQ''s messages with the reason each failed, grouped by reason')
            [CompletionResult]::new('redrive', 'redrive', [CompletionResultType]::ParameterValue, 'Move messages from the DLQ back to their source queue, to be processed again')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'orderctl;dlq;help;inspect' {
            break
        }
        'orderctl;dlq;help;redrive' {
            break
        }
        'orderctl;dlq;help;purge' {
            break
        }
        'orderctl;dlq;help;help' {
            break
        }
        'orderctl;package' {
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'Lambda architecture to build for; `all` builds every one whose Rust target is installed')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Build the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)')
            [CompletionResult]::new('--zips', '--zips', [CompletionResultType]::ParameterName, 'Where to write the zips')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('--no-build', '--no-build', [CompletionResultType]::ParameterName, 'Package the binaries already built; do not run cargo')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;export' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('cloudformation', 'cloudformation', [CompletionResultType]::ParameterValue, 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack''s name, the code bucket and the alert e-mail')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'orderctl;export;cloudformation' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The directory to write the template and the zips to')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, '`cloudformation` (plain, `cloudformation.yaml`) or `sam` (the AWS SAM form, `template.yaml`)')
            [CompletionResult]::new('--zips', '--zips', [CompletionResultType]::ParameterName, 'aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building the handlers')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'aws: build and ship the handlers of this orderctl workspace (default: the handlers this orderctl was built with, which it carries)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'aws: the functions'' architecture')
            [CompletionResult]::new('--max-receive-count', '--max-receive-count', [CompletionResultType]::ParameterName, 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)')
            [CompletionResult]::new('--visibility-timeout', '--visibility-timeout', [CompletionResultType]::ParameterName, 'Visibility timeout of the queues (≥ 6 × the function timeout)')
            [CompletionResult]::new('--function-timeout', '--function-timeout', [CompletionResultType]::ParameterName, 'Timeout of the functions')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Records per batch of each event source mapping')
            [CompletionResult]::new('--batching-window', '--batching-window', [CompletionResultType]::ParameterName, 'How long a mapping waits to fill a batch')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Concurrent batches of the `orders` mapping')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Orders above this amount fail by rule and are reviewed')
            [CompletionResult]::new('--alarm-period', '--alarm-period', [CompletionResultType]::ParameterName, 'Period of the DLQ alarm')
            [CompletionResult]::new('--log-retention', '--log-retention', [CompletionResultType]::ParameterName, 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)')
            [CompletionResult]::new('--alert-email', '--alert-email', [CompletionResultType]::ParameterName, 'Subscribe this address to the `alerts` topic')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'aws: take over resources with the stack''s names that lack its tag (by default `up` refuses to touch them)')
            [CompletionResult]::new('--disable-mappings', '--disable-mappings', [CompletionResultType]::ParameterName, 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;export;help' {
            [CompletionResult]::new('cloudformation', 'cloudformation', [CompletionResultType]::ParameterValue, 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack''s name, the code bucket and the alert e-mail')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'orderctl;export;help;cloudformation' {
            break
        }
        'orderctl;export;help;help' {
            break
        }
        'orderctl;lambda' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response')
            [CompletionResult]::new('mappings', 'mappings', [CompletionResultType]::ParameterValue, 'Poll the stack''s queues as Lambda''s event source mappings do and feed the batches to the packaged handlers, and forward the table''s stream through the stack''s pipe: for endpoints that run no Lambda code and no pipes (moto)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'orderctl;lambda;invoke' {
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The event, a JSON file (`-` for stdin)')
            [CompletionResult]::new('--zip', '--zip', [CompletionResultType]::ParameterName, 'The deployment zip (default: `target/lambda/<handler>-x86_64.zip`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment for the function, `NAME=VALUE` (repeatable); AWS_* variables of this process are passed on')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The function''s timeout')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;lambda;mappings' {
            [CompletionResult]::new('--zips', '--zips', [CompletionResultType]::ParameterName, 'Where the deployment zips are (`orderctl package --zips DIR`)')
            [CompletionResult]::new('--idle', '--idle', [CompletionResultType]::ParameterName, 'Stop once every queue and the stream have been quiet this long (default: run until Ctrl-C)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The functions'' timeout')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;lambda;help' {
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response')
            [CompletionResult]::new('mappings', 'mappings', [CompletionResultType]::ParameterValue, 'Poll the stack''s queues as Lambda''s event source mappings do and feed the batches to the packaged handlers, and forward the table''s stream through the stack''s pipe: for endpoints that run no Lambda code and no pipes (moto)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'orderctl;lambda;help;invoke' {
            break
        }
        'orderctl;lambda;help;mappings' {
            break
        }
        'orderctl;lambda;help;help' {
            break
        }
        'orderctl;config' {
            [CompletionResult]::new('--max-receive-count', '--max-receive-count', [CompletionResultType]::ParameterName, 'Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda)')
            [CompletionResult]::new('--visibility-timeout', '--visibility-timeout', [CompletionResultType]::ParameterName, 'Visibility timeout of the queues (≥ 6 × the function timeout)')
            [CompletionResult]::new('--function-timeout', '--function-timeout', [CompletionResultType]::ParameterName, 'Timeout of the functions')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Records per batch of each event source mapping')
            [CompletionResult]::new('--batching-window', '--batching-window', [CompletionResultType]::ParameterName, 'How long a mapping waits to fill a batch')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Concurrent batches of the `orders` mapping')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Orders above this amount fail by rule and are reviewed')
            [CompletionResult]::new('--alarm-period', '--alarm-period', [CompletionResultType]::ParameterName, 'Period of the DLQ alarm')
            [CompletionResult]::new('--log-retention', '--log-retention', [CompletionResultType]::ParameterName, 'Days the functions'' log groups keep their events (aws; one of CloudWatch Logs'' retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653)')
            [CompletionResult]::new('--alert-email', '--alert-email', [CompletionResultType]::ParameterName, 'Subscribe this address to the `alerts` topic')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('--disable-mappings', '--disable-mappings', [CompletionResultType]::ParameterName, 'Create the event source mappings disabled: for an emulator that runs no Lambda code (moto would take every message itself and fail it); `orderctl lambda mappings` then does their work')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;ui' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Port on 127.0.0.1 (`0`: any free port; the address is printed at start)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port on 127.0.0.1 (`0`: any free port; the address is printed at start)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;completions' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Name of the stack: every resource name starts with it')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where the pipeline runs: `local` (embedded, no AWS account) or `aws`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Format of the results printed on stdout')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS, for every service. From the environment, a service''s own `AWS_ENDPOINT_URL_<SERVICE>` (or the profile''s `services` section) wins for it, as in the AWS CLI and SDKs')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'For `--target aws`: the region (default: the AWS configuration''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'For `--target aws`: the named profile of the AWS configuration')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Directory holding the local target''s stacks (one subdirectory per stack)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed by destructive commands without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: `-v` orderctl''s own diagnostics (each AWS request of `up`, `down`, `status` and the publisher, with its attempt; each request the `ui` page makes), `-vv` the AWS SDK''s steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets are never shown')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'orderctl;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Create or update the stack''s resources (idempotent: a second `up` changes nothing)')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Delete the stack''s resources and data (only what carries the stack''s tag)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the stack''s resources, queue depths, alarm state and order counts')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Publish synthetic orders at a total rate, wait until they settle, report')
            [CompletionResult]::new('smoke', 'smoke', [CompletionResultType]::ParameterValue, 'The CI check: bring the stack up if needed, send one order of each kind, and check each reaches its expected outcome (exit 0 only if every one does)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a load scenario from a file (stages, mix, thresholds that set the exit code)')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Run the local pipeline until every queue is empty (for example after a crash)')
            [CompletionResult]::new('orders', 'orders', [CompletionResultType]::ParameterValue, 'List the table''s orders, newest first, filtered by status, kind, run and age')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'One order through every hop, in time order: published, each receive and its result, the DLQ, each write of the order, the pipe, the review; where it is now, and the log lines that mention it. Exit 1 if the order is unknown')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The stack''s function logs, interleaved by time')
            [CompletionResult]::new('dlq', 'dlq', [CompletionResultType]::ParameterValue, 'Operate the dead-letter queue')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Build the Lambda handlers and write one reproducible deployment zip each')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the stack as infrastructure as code, with the handler zips beside it')
            [CompletionResult]::new('lambda', 'lambda', [CompletionResultType]::ParameterValue, 'Run the packaged handlers locally: one invocation, or the stack''s event source mappings against an AWS-compatible endpoint')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the effective configuration and where each value comes from (flag, environment, `orderctl.toml`, default)')
            [CompletionResult]::new('ui', 'ui', [CompletionResultType]::ParameterValue, 'Serve a page on 127.0.0.1 with an order form and a live dashboard of the stack (orders by status, queue and DLQ depths, alarm and alerts, throughput and latency plots, the DLQ''s messages with a redrive button)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (also committed under `completions/`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'orderctl;help;up' {
            break
        }
        'orderctl;help;down' {
            break
        }
        'orderctl;help;status' {
            break
        }
        'orderctl;help;send' {
            break
        }
        'orderctl;help;smoke' {
            break
        }
        'orderctl;help;run' {
            break
        }
        'orderctl;help;drain' {
            break
        }
        'orderctl;help;orders' {
            break
        }
        'orderctl;help;trace' {
            break
        }
        'orderctl;help;logs' {
            break
        }
        'orderctl;help;dlq' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'List the DLQ''s messages with the reason each failed, grouped by reason')
            [CompletionResult]::new('redrive', 'redrive', [CompletionResultType]::ParameterValue, 'Move messages from the DLQ back to their source queue, to be processed again')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete every message in the DLQ (asks first, with the count, unless `--yes`)')
            break
        }
        'orderctl;help;dlq;inspect' {
            break
        }
        'orderctl;help;dlq;redrive' {
            break
        }
        'orderctl;help;dlq;purge' {
            break
        }
        'orderctl;help;package' {
            break
        }
        'orderctl;help;export' {
            [CompletionResult]::new('cloudformation', 'cloudformation', [CompletionResultType]::ParameterValue, 'A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource, name, setting, tag and least-privilege role — with parameters for the stack''s name, the code bucket and the alert e-mail')
            break
        }
        'orderctl;help;export;cloudformation' {
            break
        }
        'orderctl;help;lambda' {
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a packaged handler once, as a real process behind a local Lambda Runtime API, and print its response')
            [CompletionResult]::new('mappings', 'mappings', [CompletionResultType]::ParameterValue, 'Poll the stack''s queues as Lambda''s event source mappings do and feed the batches to the packaged handlers, and forward the table''s stream through the stack''s pipe: for endpoints that run no Lambda code and no pipes (moto)')
            break
        }
        'orderctl;help;lambda;invoke' {
            break
        }
        'orderctl;help;lambda;mappings' {
            break
        }
        'orderctl;help;config' {
            break
        }
        'orderctl;help;ui' {
            break
        }
        'orderctl;help;completions' {
            break
        }
        'orderctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
