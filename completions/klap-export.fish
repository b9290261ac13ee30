# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_klap_export_global_optspecs
    string join \n base-url= api-key-file= format= json q/quiet color= no-progress v/verbose http-timeout= retries= sandbox profile= jq= h/help V/version
end

function __fish_klap_export_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_klap_export_global_optspecs) -- $cmd 2>/dev/null
    or begin
        set -e cmd[-1]
        argparse -s (__fish_klap_export_global_optspecs) -- $cmd 2>/dev/null
    end
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_klap_export_using_subcommand
    set -l cmd (__fish_klap_export_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c klap-export -n "__fish_klap_export_needs_command" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_needs_command" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_needs_command" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_needs_command" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_needs_command" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_needs_command" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_needs_command" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_needs_command" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_needs_command" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_needs_command" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_needs_command" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_needs_command" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_needs_command" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_needs_command" -s V -l version -d 'Print version'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "shorts" -d 'A video URL to the MP4s of its best shorts, in one re-runnable command'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "task" -d 'Start and follow the Klap tasks that turn a video into shorts'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "create" -d 'Start exports of projects (then wait and download with --wait / --download)'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "status" -d 'Show the current state of exports'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "list" -d 'List exports, filtered by folder / project / state'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "wait" -d 'Wait until exports are ready (spinner on a terminal)'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "download" -d 'Download the MP4s of ready exports'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "projects" -d 'List the projects (shorts) of a folder, best first'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "sandbox" -d 'Serve a local emulation of the exports API (offline use, CI)'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "manpage" -d 'Print the man page (roff)'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "auth" -d 'Store, check and remove the API key of a profile'
complete -c klap-export -n "__fish_klap_export_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l download -d 'The job\'s directory: the MP4s and klap-export.json (created when missing)' -r -f -a "(__fish_complete_directories)"
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l top -d 'Keep the N best shorts' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l min-virality -d 'Keep shorts whose virality_score is at least X' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l name -d 'File name inside DIR (placeholders as for download --name) [default: {rank:02}-{name}.mp4]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l interval -d 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l timeout -d 'Give up after this long, for the whole job; 0 for no deadline' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l jobs -d 'Downloads at once, 1-16 [default: 4]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l language -d 'Language of the video (language), e.g. en [default: detected]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l translate-to -d 'Translate the shorts to this language (translate_to)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l title -d 'Name of the task\'s folder (name)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l clips -d 'How many shorts to aim for (target_clip_count) [server default: 10]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l max-clips -d 'At most this many shorts (max_clip_count) [server default: 10]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l min-duration -d 'Shortest short, 1-120 whole seconds (min_duration)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l max-duration -d 'Longest short, 1-180 whole seconds (max_duration)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l target-duration -d 'Length to aim for, 1-120 whole seconds (target_duration)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l size -d 'Output size WxH, 1-4096 each (dimensions), e.g. 1080x1920' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l style-preset -d 'Style preset (style_preset_id)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l fail-fast -d 'Stop at the first failed export (exit 5)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l new-task -d 'Send a task even though DIR records one whose answer was lost (it may exist)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l dry-run -d 'Say what would be done, sending only GETs and writing nothing'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l no-captions -d 'No captions (editing_options.captions: false)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l no-reframe -d 'No reframing (editing_options.reframe: false)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l no-emojis -d 'No emojis (editing_options.emojis: false)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l no-intro-title -d 'No intro title (editing_options.intro_title: false)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l remove-silences -d 'Cut silences (editing_options.remove_silences: true)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -f -a "create" -d 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -f -a "status" -d 'Show the current state of tasks'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -f -a "wait" -d 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and not __fish_seen_subcommand_from create status wait help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l interval -d 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l timeout -d 'Give up waiting after this long, 0 for no deadline' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l language -d 'Language of the video (language), e.g. en [default: detected]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l translate-to -d 'Translate the shorts to this language (translate_to)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l title -d 'Name of the task\'s folder (name)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l clips -d 'How many shorts to aim for (target_clip_count) [server default: 10]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l max-clips -d 'At most this many shorts (max_clip_count) [server default: 10]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l min-duration -d 'Shortest short, 1-120 whole seconds (min_duration)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l max-duration -d 'Longest short, 1-180 whole seconds (max_duration)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l target-duration -d 'Length to aim for, 1-120 whole seconds (target_duration)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l size -d 'Output size WxH, 1-4096 each (dimensions), e.g. 1080x1920' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l style-preset -d 'Style preset (style_preset_id)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l video-to-video -d 'POST /tasks/video-to-video: one video with captions/reframing, no shorts'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l wait -d 'Wait until the task is ready; -q then prints its output (folder or project ID)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l dry-run -d 'Print the body that would be sent (on stderr) and send nothing'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l no-captions -d 'No captions (editing_options.captions: false)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l no-reframe -d 'No reframing (editing_options.reframe: false)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l no-emojis -d 'No emojis (editing_options.emojis: false)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l no-intro-title -d 'No intro title (editing_options.intro_title: false)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l remove-silences -d 'Cut silences (editing_options.remove_silences: true)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l interval -d 'Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up waiting after this long, 0 for no deadline' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l fail-fast -d 'Stop at the first failed task (exit 5)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "create" -d 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the current state of tasks'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs'
complete -c klap-export -n "__fish_klap_export_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l watermark -d 'Absolute http(s) URL of a watermark image' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l watermark-x -d 'Watermark horizontal position, 0..1' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l watermark-y -d 'Watermark vertical position, 0..1' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l watermark-scale -d 'Watermark scale, > 0' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l interval -d 'Time between polls, at least 100ms [default: 5s; 250ms with --sandbox]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l timeout -d 'Give up waiting after this long, 0 for no deadline (each request: --http-timeout)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l download -d 'Download each export as soon as it is ready, to PATH (a directory when there are several)' -r -f -a "(__fish_complete_directories)"
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l jobs -d 'Downloads at once, 1-16 [default: 4]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l name -d 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l reuse -d 'Take the project\'s newest export that has not failed instead of creating one (watermarks are not compared: the API does not return them); with --download, files already there are kept (as --skip-existing; --force fetches again)'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l wait -d 'Wait until the exports are ready, as `wait` does'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l dry-run -d 'Say what would be created and what reused (only the --reuse lookups are sent)'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l fail-fast -d 'Stop at the first failed export (exit 5); the others go on on the server'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l force -d 'Replace an existing regular file'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l skip-existing -d 'Leave an existing file alone and count it as done (no request for it)'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l folder -d 'Only exports of this folder' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l project -d 'Only exports of this project' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l status -d 'Only exports in this state (repeatable): processing, ready, error, or the other spellings' -r -f -a "processing\t''
ready\t''
error\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l limit -d 'Keep the first N exports (newest first)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l interval -d 'Time between polls, at least 100ms [default: 5s; 250ms with --sandbox]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l timeout -d 'Give up waiting after this long, 0 for no deadline (each request: --http-timeout)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l download -d 'Download each export as soon as it is ready, to PATH (a directory when there are several)' -r -f -a "(__fish_complete_directories)"
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l jobs -d 'Downloads at once, 1-16 [default: 4]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l name -d 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l fail-fast -d 'Stop at the first failed export (exit 5); the others go on on the server'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l force -d 'Replace an existing regular file'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l skip-existing -d 'Leave an existing file alone and count it as done (no request for it)'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -s o -l output -d 'File or directory to write (\'-\' for stdout; an existing directory for several refs) [default: ./EXPORT_ID.mp4]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l jobs -d 'Downloads at once, 1-16 [default: 4]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l name -d 'File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02} {score}; .mp4 is added when it has no extension [default: {id}.mp4]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l force -d 'Replace an existing regular file'
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l skip-existing -d 'Leave an existing file alone and count it as done (no request for it)'
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l top -d 'Keep the N best' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l min-virality -d 'Keep projects whose virality_score is at least X' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l listen -d 'Address to listen on (port 0 picks a free one)' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l ready-after -d 'Time an export stays processing' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l seed -d 'Pre-create N exports in mixed states' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand sandbox" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand manpage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -f -a "login" -d 'Check and store the profile\'s API key (read from stdin when piped, else prompted for)'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -f -a "status" -d 'Show the profile, base URL, where the key comes from and whether the API accepts it'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -f -a "logout" -d 'Remove the profile\'s stored key'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and not __fish_seen_subcommand_from login status logout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l no-verify -d 'Store the key without checking it with the API'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l base-url -d 'API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l api-key-file -d 'File holding the API key (\'-\' reads it from stdin) [env: KLAP_API_KEY_FILE]' -r -F
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l format -d 'Output format [env: KLAP_FORMAT] [default: table]' -r -f -a "table\t''
json\t''
ndjson\t''
tsv\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l color -d 'Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l http-timeout -d 'Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l retries -d 'Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l profile -d 'Profile of the config file to use [env: KLAP_PROFILE] [default: default]' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l jq -d 'Filter the JSON output with a jq expression (jaq): a result a line, strings raw' -r -f
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l json -d 'Same as --format json'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -s q -l quiet -d 'Print only export refs, one a line; no progress'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l no-progress -d 'No spinner, no progress lines (errors, saved files and the summary stay)'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -s v -l verbose -d 'Log each HTTP request to stderr: method, URL, status, time'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -l sandbox -d 'Run this one command against an in-process sandbox'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "login" -d 'Check and store the profile\'s API key (read from stdin when piped, else prompted for)'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the profile, base URL, where the key comes from and whether the API accepts it'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "logout" -d 'Remove the profile\'s stored key'
complete -c klap-export -n "__fish_klap_export_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "shorts" -d 'A video URL to the MP4s of its best shorts, in one re-runnable command'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "task" -d 'Start and follow the Klap tasks that turn a video into shorts'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "create" -d 'Start exports of projects (then wait and download with --wait / --download)'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "status" -d 'Show the current state of exports'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "list" -d 'List exports, filtered by folder / project / state'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "wait" -d 'Wait until exports are ready (spinner on a terminal)'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "download" -d 'Download the MP4s of ready exports'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "projects" -d 'List the projects (shorts) of a folder, best first'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "sandbox" -d 'Serve a local emulation of the exports API (offline use, CI)'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "completions" -d 'Print a shell completion script'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "manpage" -d 'Print the man page (roff)'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "auth" -d 'Store, check and remove the API key of a profile'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and not __fish_seen_subcommand_from shorts task create status list wait download projects sandbox completions manpage auth help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "create" -d 'Start a task that makes shorts of a video (or, --video-to-video, one captioned video)'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "status" -d 'Show the current state of tasks'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "wait" -d 'Wait until tasks are ready (spinner on a terminal); -q prints their outputs'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "login" -d 'Check and store the profile\'s API key (read from stdin when piped, else prompted for)'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Show the profile, base URL, where the key comes from and whether the API accepts it'
complete -c klap-export -n "__fish_klap_export_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "logout" -d 'Remove the profile\'s stored key'
complete -c klap-export -n "__fish_klap_export_using_subcommand shorts" -f
complete -c klap-export -n "__fish_klap_export_using_subcommand create" -f
complete -c klap-export -n "__fish_klap_export_using_subcommand status" -f
complete -c klap-export -n "__fish_klap_export_using_subcommand wait" -f
complete -c klap-export -n "__fish_klap_export_using_subcommand download" -f
complete -c klap-export -n "__fish_klap_export_using_subcommand projects" -f
complete -c klap-export -n "__fish_klap_export_using_subcommand completions; and not __fish_seen_subcommand_from bash elvish fish powershell zsh" -f -a "bash elvish fish powershell zsh"
