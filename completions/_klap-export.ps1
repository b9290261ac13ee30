
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('shorts', 'shorts', [CompletionResultType]::ParameterValue, 'A video URL to the MP4s of its best shorts, in one re-runnable command')
            [CompletionResult]::new('task', 'task', [CompletionResultType]::ParameterValue, 'Start and follow the Klap tasks that turn a video into shorts')
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
        'klap-export;shorts' {
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'The job''s directory: the MP4s and klap-export.json (created when missing)')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Keep the N best shorts')
            [CompletionResult]::new('--min-virality', '--min-virality', [CompletionResultType]::ParameterName, 'Keep shorts whose virality_score is at least X')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'File name inside DIR (placeholders as for download --name) [default: {rank:02}-{name}.mp4]')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long, for the whole job; 0 for no deadline')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Downloads at once, 1-16 [default: 4]')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'Language of the video (language), e.g. en [default: detected]')
            [CompletionResult]::new('--translate-to', '--translate-to', [CompletionResultType]::ParameterName, 'Translate the shorts to this language (translate_to)')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Name of the task''s folder (name)')
            [CompletionResult]::new('--clips', '--clips', [CompletionResultType]::ParameterName, 'How many shorts to aim for (target_clip_count) [server default: 10]')
            [CompletionResult]::new('--max-clips', '--max-clips', [CompletionResultType]::ParameterName, 'At most this many shorts (max_clip_count) [server default: 10]')
            [CompletionResult]::new('--min-duration', '--min-duration', [CompletionResultType]::ParameterName, 'Shortest short, 1-120 whole seconds (min_duration)')
            [CompletionResult]::new('--max-duration', '--max-duration', [CompletionResultType]::ParameterName, 'Longest short, 1-180 whole seconds (max_duration)')
            [CompletionResult]::new('--target-duration', '--target-duration', [CompletionResultType]::ParameterName, 'Length to aim for, 1-120 whole seconds (target_duration)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Output size WxH, 1-4096 each (dimensions), e.g. 1080x1920')
            [CompletionResult]::new('--style-preset', '--style-preset', [CompletionResultType]::ParameterName, 'Style preset (style_preset_id)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failed export (exit 5)')
            [CompletionResult]::new('--new-task', '--new-task', [CompletionResultType]::ParameterName, 'Send a task even though DIR records one whose answer was lost (it may exist)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done, sending only GETs and writing nothing')
            [CompletionResult]::new('--no-captions', '--no-captions', [CompletionResultType]::ParameterName, 'No captions (editing_options.captions: false)')
            [CompletionResult]::new('--no-reframe', '--no-reframe', [CompletionResultType]::ParameterName, 'No reframing (editing_options.reframe: false)')
            [CompletionResult]::new('--no-emojis', '--no-emojis', [CompletionResultType]::ParameterName, 'No emojis (editing_options.emojis: false)')
            [CompletionResult]::new('--no-intro-title', '--no-intro-title', [CompletionResultType]::ParameterName, 'No intro title (editing_options.intro_title: false)')
            [CompletionResult]::new('--remove-silences', '--remove-silences', [CompletionResultType]::ParameterName, 'Cut silences (editing_options.remove_silences: true)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;task' {
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the current state of tasks')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'klap-export;task;create' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long, 0 for no deadline')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'Language of the video (language), e.g. en [default: detected]')
            [CompletionResult]::new('--translate-to', '--translate-to', [CompletionResultType]::ParameterName, 'Translate the shorts to this language (translate_to)')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Name of the task''s folder (name)')
            [CompletionResult]::new('--clips', '--clips', [CompletionResultType]::ParameterName, 'How many shorts to aim for (target_clip_count) [server default: 10]')
            [CompletionResult]::new('--max-clips', '--max-clips', [CompletionResultType]::ParameterName, 'At most this many shorts (max_clip_count) [server default: 10]')
            [CompletionResult]::new('--min-duration', '--min-duration', [CompletionResultType]::ParameterName, 'Shortest short, 1-120 whole seconds (min_duration)')
            [CompletionResult]::new('--max-duration', '--max-duration', [CompletionResultType]::ParameterName, 'Longest short, 1-180 whole seconds (max_duration)')
            [CompletionResult]::new('--target-duration', '--target-duration', [CompletionResultType]::ParameterName, 'Length to aim for, 1-120 whole seconds (target_duration)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Output size WxH, 1-4096 each (dimensions), e.g. 1080x1920')
            [CompletionResult]::new('--style-preset', '--style-preset', [CompletionResultType]::ParameterName, 'Style preset (style_preset_id)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--video-to-video', '--video-to-video', [CompletionResultType]::ParameterName, 'POST /tasks/video-to-video: one video with captions/reframing, no shorts')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the task is ready; -q then prints its output (folder or project ID)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the body that would be sent (on stderr) and send nothing')
            [CompletionResult]::new('--no-captions', '--no-captions', [CompletionResultType]::ParameterName, 'No captions (editing_options.captions: false)')
            [CompletionResult]::new('--no-reframe', '--no-reframe', [CompletionResultType]::ParameterName, 'No reframing (editing_options.reframe: false)')
            [CompletionResult]::new('--no-emojis', '--no-emojis', [CompletionResultType]::ParameterName, 'No emojis (editing_options.emojis: false)')
            [CompletionResult]::new('--no-intro-title', '--no-intro-title', [CompletionResultType]::ParameterName, 'No intro title (editing_options.intro_title: false)')
            [CompletionResult]::new('--remove-silences', '--remove-silences', [CompletionResultType]::ParameterName, 'Cut silences (editing_options.remove_silences: true)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;task;status' {
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;task;wait' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long, 0 for no deadline')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failed task (exit 5)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;task;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the current state of tasks')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'klap-export;task;help;create' {
            break
        }
        'klap-export;task;help;status' {
            break
        }
        'klap-export;task;help;wait' {
            break
        }
        'klap-export;task;help;help' {
            break
        }
        'klap-export;create' {
            [CompletionResult]::new('--watermark', '--watermark', [CompletionResultType]::ParameterName, 'Absolute http(s) URL of a watermark image')
            [CompletionResult]::new('--watermark-x', '--watermark-x', [CompletionResultType]::ParameterName, 'Watermark horizontal position, 0..1')
            [CompletionResult]::new('--watermark-y', '--watermark-y', [CompletionResultType]::ParameterName, 'Watermark vertical position, 0..1')
            [CompletionResult]::new('--watermark-scale', '--watermark-scale', [CompletionResultType]::ParameterName, 'Watermark scale, > 0')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between polls, at least 100ms [default: 5s; 250ms with --sandbox]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long, 0 for no deadline (each request: --http-timeout)')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Download each export as soon as it is ready, to PATH (a directory when there are several)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Downloads at once, 1-16 [default: 4]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [env: KLAP_FORMAT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw')
            [CompletionResult]::new('--reuse', '--reuse', [CompletionResultType]::ParameterName, 'Take the project''s newest export that has not failed instead of creating one (watermarks are not compared: the API does not return them); with --download, files already there are kept (as --skip-existing; --force fetches again)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the exports are ready, as `wait` does')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be created and what reused (only the --reuse lookups are sent)')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failed export (exit 5); the others go on on the server')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing regular file')
            [CompletionResult]::new('--skip-existing', '--skip-existing', [CompletionResultType]::ParameterName, 'Leave an existing file alone and count it as done (no request for it)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only export refs, one a line; no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP request to stderr: method, URL, status, time')
            [CompletionResult]::new('--sandbox', '--sandbox', [CompletionResultType]::ParameterName, 'Run this one command against an in-process sandbox')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'klap-export;wait' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between polls, at least 100ms [default: 5s; 250ms with --sandbox]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long, 0 for no deadline (each request: --http-timeout)')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Download each export as soon as it is ready, to PATH (a directory when there are several)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Downloads at once, 1-16 [default: 4]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No spinner, no progress lines (errors, saved files and the summary stay)')
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
            [CompletionResult]::new('shorts', 'shorts', [CompletionResultType]::ParameterValue, 'A video URL to the MP4s of its best shorts, in one re-runnable command')
            [CompletionResult]::new('task', 'task', [CompletionResultType]::ParameterValue, 'Start and follow the Klap tasks that turn a video into shorts')
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
        'klap-export;help;shorts' {
            break
        }
        'klap-export;help;task' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the current state of tasks')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs')
            break
        }
        'klap-export;help;task;create' {
            break
        }
        'klap-export;help;task;status' {
            break
        }
        'klap-export;help;task;wait' {
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
