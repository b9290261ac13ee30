
use builtin;
use str;

set edit:completion:arg-completer[klap-export] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'klap-export'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'klap-export'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand shorts 'A video URL to the MP4s of its best shorts, in one re-runnable command'
            cand task 'Start and follow the Klap tasks that turn a video into shorts'
            cand create 'Start exports of projects (then wait and download with --wait / --download)'
            cand status 'Show the current state of exports'
            cand list 'List exports, filtered by folder / project / state'
            cand wait 'Wait until exports are ready (spinner on a terminal)'
            cand download 'Download the MP4s of ready exports'
            cand projects 'List the projects (shorts) of a folder, best first'
            cand sandbox 'Serve a local emulation of the exports API (offline use, CI)'
            cand completions 'Print a shell completion script'
            cand manpage 'Print the man page (roff)'
            cand auth 'Store, check and remove the API key of a profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'klap-export;shorts'= {
            cand --download 'The job''s directory: the MP4s and klap-export.json (created when missing)'
            cand --top 'Keep the N best shorts'
            cand --min-virality 'Keep shorts whose virality_score is at least X'
            cand --name 'File name inside DIR (placeholders as for download --name) [default: {rank:02}-{name}.mp4]'
            cand --interval 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]'
            cand --timeout 'Give up after this long, for the whole job; 0 for no deadline'
            cand --jobs 'Downloads at once, 1-16 [default: 4]'
            cand --language 'Language of the video (language), e.g. en [default: detected]'
            cand --translate-to 'Translate the shorts to this language (translate_to)'
            cand --title 'Name of the task''s folder (name)'
            cand --clips 'How many shorts to aim for (target_clip_count) [server default: 10]'
            cand --max-clips 'At most this many shorts (max_clip_count) [server default: 10]'
            cand --min-duration 'Shortest short, 1-120 whole seconds (min_duration)'
            cand --max-duration 'Longest short, 1-180 whole seconds (max_duration)'
            cand --target-duration 'Length to aim for, 1-120 whole seconds (target_duration)'
            cand --size 'Output size WxH, 1-4096 each (dimensions), e.g. 1080x1920'
            cand --style-preset 'Style preset (style_preset_id)'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --fail-fast 'Stop at the first failed export (exit 5)'
            cand --new-task 'Send a task even though DIR records one whose answer was lost (it may exist)'
            cand --dry-run 'Say what would be done, sending only GETs and writing nothing'
            cand --no-captions 'No captions (editing_options.captions: false)'
            cand --no-reframe 'No reframing (editing_options.reframe: false)'
            cand --no-emojis 'No emojis (editing_options.emojis: false)'
            cand --no-intro-title 'No intro title (editing_options.intro_title: false)'
            cand --remove-silences 'Cut silences (editing_options.remove_silences: true)'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;task'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand create 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)'
            cand status 'Show the current state of tasks'
            cand wait 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'klap-export;task;create'= {
            cand --interval 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]'
            cand --timeout 'Give up waiting after this long, 0 for no deadline'
            cand --language 'Language of the video (language), e.g. en [default: detected]'
            cand --translate-to 'Translate the shorts to this language (translate_to)'
            cand --title 'Name of the task''s folder (name)'
            cand --clips 'How many shorts to aim for (target_clip_count) [server default: 10]'
            cand --max-clips 'At most this many shorts (max_clip_count) [server default: 10]'
            cand --min-duration 'Shortest short, 1-120 whole seconds (min_duration)'
            cand --max-duration 'Longest short, 1-180 whole seconds (max_duration)'
            cand --target-duration 'Length to aim for, 1-120 whole seconds (target_duration)'
            cand --size 'Output size WxH, 1-4096 each (dimensions), e.g. 1080x1920'
            cand --style-preset 'Style preset (style_preset_id)'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --video-to-video 'POST /tasks/video-to-video: one video with captions/reframing, no shorts'
            cand --wait 'Wait until the task is ready; -q then prints its output (folder or project ID)'
            cand --dry-run 'Print the body that would be sent (on stderr) and send nothing'
            cand --no-captions 'No captions (editing_options.captions: false)'
            cand --no-reframe 'No reframing (editing_options.reframe: false)'
            cand --no-emojis 'No emojis (editing_options.emojis: false)'
            cand --no-intro-title 'No intro title (editing_options.intro_title: false)'
            cand --remove-silences 'Cut silences (editing_options.remove_silences: true)'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;task;status'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;task;wait'= {
            cand --interval 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]'
            cand --timeout 'Give up waiting after this long, 0 for no deadline'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --fail-fast 'Stop at the first failed task (exit 5)'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;task;help'= {
            cand create 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)'
            cand status 'Show the current state of tasks'
            cand wait 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'klap-export;task;help;create'= {
        }
        &'klap-export;task;help;status'= {
        }
        &'klap-export;task;help;wait'= {
        }
        &'klap-export;task;help;help'= {
        }
        &'klap-export;create'= {
            cand --watermark 'Absolute http(s) URL of a watermark image'
            cand --watermark-x 'Watermark horizontal position, 0..1'
            cand --watermark-y 'Watermark vertical position, 0..1'
            cand --watermark-scale 'Watermark scale, > 0'
            cand --interval 'Time between polls, at least 100ms [default: 5s; 250ms with --sandbox]'
            cand --timeout 'Give up waiting after this long, 0 for no deadline (each request: --http-timeout)'
            cand --download 'Download each export as soon as it is ready, to PATH (a directory when there are several)'
            cand --jobs 'Downloads at once, 1-16 [default: 4]'
            cand --name 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --reuse 'Take the project''s newest export that has not failed instead of creating one (watermarks are not compared: the API does not return them); with --download, files already there are kept (as --skip-existing; --force fetches again)'
            cand --wait 'Wait until the exports are ready, as `wait` does'
            cand --dry-run 'Say what would be created and what reused (only the --reuse lookups are sent)'
            cand --fail-fast 'Stop at the first failed export (exit 5); the others go on on the server'
            cand --force 'Replace an existing regular file'
            cand --skip-existing 'Leave an existing file alone and count it as done (no request for it)'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;status'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;list'= {
            cand --folder 'Only exports of this folder'
            cand --project 'Only exports of this project'
            cand --status 'Only exports in this state (repeatable): processing, ready, error, or the other spellings'
            cand --limit 'Keep the first N exports (newest first)'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;wait'= {
            cand --interval 'Time between polls, at least 100ms [default: 5s; 250ms with --sandbox]'
            cand --timeout 'Give up waiting after this long, 0 for no deadline (each request: --http-timeout)'
            cand --download 'Download each export as soon as it is ready, to PATH (a directory when there are several)'
            cand --jobs 'Downloads at once, 1-16 [default: 4]'
            cand --name 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --fail-fast 'Stop at the first failed export (exit 5); the others go on on the server'
            cand --force 'Replace an existing regular file'
            cand --skip-existing 'Leave an existing file alone and count it as done (no request for it)'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;download'= {
            cand -o 'File or directory to write (''-'' for stdout; an existing directory for several refs) [default: ./EXPORT_ID.mp4]'
            cand --output 'File or directory to write (''-'' for stdout; an existing directory for several refs) [default: ./EXPORT_ID.mp4]'
            cand --jobs 'Downloads at once, 1-16 [default: 4]'
            cand --name 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --force 'Replace an existing regular file'
            cand --skip-existing 'Leave an existing file alone and count it as done (no request for it)'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;projects'= {
            cand --top 'Keep the N best'
            cand --min-virality 'Keep projects whose virality_score is at least X'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;sandbox'= {
            cand --listen 'Address to listen on (port 0 picks a free one)'
            cand --ready-after 'Time an export stays processing'
            cand --seed 'Pre-create N exports in mixed states'
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;completions'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;manpage'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;auth'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand login 'Check and store the profile''s API key (read from stdin when piped, else prompted for)'
            cand status 'Show the profile, base URL, where the key comes from and whether the API accepts it'
            cand logout 'Remove the profile''s stored key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'klap-export;auth;login'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --no-verify 'Store the key without checking it with the API'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;auth;status'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;auth;logout'= {
            cand --base-url 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]'
            cand --api-key-file 'File holding the API key (''-'' reads it from stdin) [env: KLAP_API_KEY_FILE]'
            cand --format 'Output format [env: KLAP_FORMAT] [default: table]'
            cand --color 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]'
            cand --http-timeout 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]'
            cand --retries 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]'
            cand --profile 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]'
            cand --jq 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw'
            cand --json 'Same as --format json'
            cand -q 'Print only export refs, one a line; no progress'
            cand --quiet 'Print only export refs, one a line; no progress'
            cand --no-progress 'No spinner, no progress lines (errors, saved files and the summary stay)'
            cand -v 'Log each HTTP request to stderr: method, URL, status, time'
            cand --verbose 'Log each HTTP request to stderr: method, URL, status, time'
            cand --sandbox 'Run this one command against an in-process sandbox'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'klap-export;auth;help'= {
            cand login 'Check and store the profile''s API key (read from stdin when piped, else prompted for)'
            cand status 'Show the profile, base URL, where the key comes from and whether the API accepts it'
            cand logout 'Remove the profile''s stored key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'klap-export;auth;help;login'= {
        }
        &'klap-export;auth;help;status'= {
        }
        &'klap-export;auth;help;logout'= {
        }
        &'klap-export;auth;help;help'= {
        }
        &'klap-export;help'= {
            cand shorts 'A video URL to the MP4s of its best shorts, in one re-runnable command'
            cand task 'Start and follow the Klap tasks that turn a video into shorts'
            cand create 'Start exports of projects (then wait and download with --wait / --download)'
            cand status 'Show the current state of exports'
            cand list 'List exports, filtered by folder / project / state'
            cand wait 'Wait until exports are ready (spinner on a terminal)'
            cand download 'Download the MP4s of ready exports'
            cand projects 'List the projects (shorts) of a folder, best first'
            cand sandbox 'Serve a local emulation of the exports API (offline use, CI)'
            cand completions 'Print a shell completion script'
            cand manpage 'Print the man page (roff)'
            cand auth 'Store, check and remove the API key of a profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'klap-export;help;shorts'= {
        }
        &'klap-export;help;task'= {
            cand create 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)'
            cand status 'Show the current state of tasks'
            cand wait 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs'
        }
        &'klap-export;help;task;create'= {
        }
        &'klap-export;help;task;status'= {
        }
        &'klap-export;help;task;wait'= {
        }
        &'klap-export;help;create'= {
        }
        &'klap-export;help;status'= {
        }
        &'klap-export;help;list'= {
        }
        &'klap-export;help;wait'= {
        }
        &'klap-export;help;download'= {
        }
        &'klap-export;help;projects'= {
        }
        &'klap-export;help;sandbox'= {
        }
        &'klap-export;help;completions'= {
        }
        &'klap-export;help;manpage'= {
        }
        &'klap-export;help;auth'= {
            cand login 'Check and store the profile''s API key (read from stdin when piped, else prompted for)'
            cand status 'Show the profile, base URL, where the key comes from and whether the API accepts it'
            cand logout 'Remove the profile''s stored key'
        }
        &'klap-export;help;auth;login'= {
        }
        &'klap-export;help;auth;status'= {
        }
        &'klap-export;help;auth;logout'= {
        }
        &'klap-export;help;help'= {
        }
    ]
    $completions[$command]
}
