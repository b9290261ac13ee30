
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'klap-export' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'klap-export'
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
        'klap-export' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start exports of projects (then wait and download with --wait / --download)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the current state of exports')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List exports, filtered by folder / project / state')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until exports are ready (spinner on a terminal)')
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Download the MP4s of ready exports')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'List the projects (shorts) of a folder, best first')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Serve a local emulation of the exports API (offline use, CI)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('manpage', 'manpage', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Store, check and remove the API key of a profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'klap-export;create' {
            [CompletionResult]::new('--watermark', '--watermark', [CompletionResultType]::ParameterName, 'Absolute http(s) URL of a watermark image')
            [CompletionResult]::new('--watermark-x', '--watermark-x', [CompletionResultType]::ParameterName, 'Watermark horizontal position, 0..1')
            [CompletionResult]::new('--watermark-y', '--watermark-y', [CompletionResultType]::ParameterName, 'Watermark vertical position, 0..1')
            [CompletionResult]::new('--watermark-scale', '--watermark-scale', [CompletionResultType]::ParameterName, 'Watermark scale, > 0')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between polls, at least 100ms')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long, 0 for no deadline (each request: --http-timeout)')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Download each export as soon as it is ready, to PATH (a directory when there are several)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Downloads at once, 1-16 [default: 4]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--reuse', '--reuse', [CompletionResultType]::ParameterName, 'Take the project''s newest export that has not failed instead of creating one (watermarks are not compared: the API does not return them)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the exports are ready, as `wait` does')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failed export (exit 5); the others go on on the server')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing regular file')
            [CompletionResult]::new('--skip-existing', '--skip-existing', [CompletionResultType]::ParameterName, 'Leave an existing file alone and count it as done (no request for it)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;status' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;list' {
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'Only exports of this folder')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only exports of this project')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only exports in this state (repeatable): processing, ready, error, or the other spellings')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Keep the first N exports (newest first)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;wait' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between polls, at least 100ms')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long, 0 for no deadline (each request: --http-timeout)')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Download each export as soon as it is ready, to PATH (a directory when there are several)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Downloads at once, 1-16 [default: 4]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failed export (exit 5); the others go on on the server')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing regular file')
            [CompletionResult]::new('--skip-existing', '--skip-existing', [CompletionResultType]::ParameterName, 'Leave an existing file alone and count it as done (no request for it)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;download' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'File or directory to write (''-'' for stdout; an existing directory for several refs) [default: ./EXPORT_ID.mp4]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'File or directory to write (''-'' for stdout; an existing directory for several refs) [default: ./EXPORT_ID.mp4]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Downloads at once, 1-16 [default: 4]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing regular file')
            [CompletionResult]::new('--skip-existing', '--skip-existing', [CompletionResultType]::ParameterName, 'Leave an existing file alone and count it as done (no request for it)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;projects' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep the N best')
            [CompletionResult]::new('--min-virality', '--min-virality', [CompletionResultType]::ParameterName, 'Keep projects whose virality_score is at least X')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;sandbox' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free one)')
            [CompletionResult]::new('--ready-after', '--ready-after', [CompletionResultType]::ParameterName, 'Time an export stays processing')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Pre-create N exports in mixed states')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;completions' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;manpage' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;auth' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check and store the profile''s API key (read from stdin when piped, else prompted for)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the profile, base URL, where the key comes from and whether the API accepts it')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the profile''s stored key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'klap-export;auth;login' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store the key without checking it with the API')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;auth;status' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;auth;logout' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;auth;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check and store the profile''s API key (read from stdin when piped, else prompted for)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the profile, base URL, where the key comes from and whether the API accepts it')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the profile''s stored key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'klap-export;auth;help;login' {
            break
        }
        'klap-export;auth;help;status' {
            break
        }
        'klap-export;auth;help;logout' {
            break
        }
        'klap-export;auth;help;help' {
            break
        }
        'klap-export;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start exports of projects (then wait and download with --wait / --download)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the current state of exports')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List exports, filtered by folder / project / state')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until exports are ready (spinner on a terminal)')
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Download the MP4s of ready exports')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'List the projects (shorts) of a folder, best first')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Serve a local emulation of the exports API (offline use, CI)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('manpage', 'manpage', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Store, check and remove the API key of a profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'klap-export;help;create' {
            break
        }
        'klap-export;help;status' {
            break
        }
        'klap-export;help;list' {
            break
        }
        'klap-export;help;wait' {
            break
        }
        'klap-export;help;download' {
            break
        }
        'klap-export;help;projects' {
            break
        }
        'klap-export;help;sandbox' {
            break
        }
        'klap-export;help;completions' {
            break
        }
        'klap-export;help;manpage' {
            break
        }
        'klap-export;help;auth' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check and store the profile''s API key (read from stdin when piped, else prompted for)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the profile, base URL, where the key comes from and whether the API accepts it')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the profile''s stored key')
            break
        }
        'klap-export;help;auth;login' {
            break
        }
        'klap-export;help;auth;status' {
            break
        }
        'klap-export;help;auth;logout' {
            break
        }
        'klap-export;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
