;; formwork lsp with eglot (built into Emacs 29; on Emacs 28 the eglot package,
;; Debian's elpa-eglot). YAML needs a major mode: yaml-ts-mode (Emacs 29) or yaml-mode.
(require 'eglot)
(add-to-list 'eglot-server-programs
             '((yaml-mode yaml-ts-mode json-mode json-ts-mode js-json-mode) . ("formwork" "lsp")))
(dolist (hook '(yaml-mode-hook yaml-ts-mode-hook json-mode-hook json-ts-mode-hook js-json-mode-hook))
  (add-hook hook #'eglot-ensure))
