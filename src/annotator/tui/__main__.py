from annotator.tui.app import main

main()
