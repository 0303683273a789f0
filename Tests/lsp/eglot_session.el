;;; eglot_session.el --- formwork lsp in Emacs with eglot, in batch  -*- lexical-binding: t -*-
;; Run by eglot.py: emacs --batch -q -l docs/editors/eglot.el -l Tests/lsp/eglot_session.el FILE
;; Completions are accepted as `completion-at-point' accepts one: the chosen candidate
;; replaces the text in the capf's bounds, then its :exit-function runs (eglot applies the
;; item's textEdit there). The report goes to $FORMWORK_EGLOT_REPORT.
(require 'eglot)
(require 'cl-lib)

(defvar formwork-report (getenv "FORMWORK_EGLOT_REPORT"))

(defun formwork-finish (message)
  (with-temp-file formwork-report (insert message))
  (kill-emacs 0))

(defun formwork-check (condition message)
  (unless condition (error "%s\n--- buffer ---\n%s" message (buffer-string))))

(defun formwork-wait (what predicate)
  (let ((deadline (+ (float-time) 20)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (formwork-check (funcall predicate) (format "waited 20 s for %s" what))))

(defun formwork-line (needle)
  (goto-char (point-min))
  (formwork-check (search-forward needle nil t) (format "not in the buffer: %s" needle))
  (buffer-substring (line-beginning-position) (line-end-position)))

(defun formwork-complete (after label)
  "Completes at the end of AFTER with the item labelled LABEL."
  (goto-char (point-min))
  (formwork-check (search-forward after nil t) (format "not in the buffer: %s" after))
  (pcase-let* ((`(,beg ,end ,table . ,props) (eglot-completion-at-point))
               (typed (buffer-substring beg end))
               (candidates (all-completions typed table))
               (choice (cl-find-if (lambda (candidate)
                                     (equal (plist-get (get-text-property 0 'eglot--lsp-item candidate) :label) label))
                                   candidates)))
    (formwork-check choice (format "%s not offered after %s (typed %S): %S" label after typed (seq-take candidates 8)))
    (delete-region beg end)
    (goto-char beg)
    (insert choice)
    (funcall (plist-get props :exit-function) choice 'finished)))

(condition-case problem
    (progn
      (unless (fboundp 'yaml-mode) (define-derived-mode yaml-mode text-mode "YAML"))
      (find-file (car command-line-args-left))
      (yaml-mode)
      (apply #'eglot (eglot--guess-contact))
      (formwork-wait "the server" (lambda () (eglot-current-server)))
      (formwork-wait "diagnostics" (lambda () (flymake-diagnostics)))
      (formwork-complete "Type: AWS::RDS::DBIn" "AWS::RDS::DBInstance")
      (formwork-check (equal (formwork-line "Type: AWS::RDS") "    Type: AWS::RDS::DBInstance")
                      (format "the type line is %S" (formwork-line "Type: AWS::RDS")))
      (formwork-complete "!GetAtt EnhancedMonitoringRole." "EnhancedMonitoringRole.Arn")
      (formwork-check (equal (formwork-line "!GetAtt") "      MonitoringRoleArn: !GetAtt EnhancedMonitoringRole.Arn")
                      (format "the GetAtt line is %S" (formwork-line "!GetAtt")))
      ;; No read-only property among the database's.
      (goto-char (point-min))
      (search-forward "      Engine: postgres")
      (insert "\n      DB")
      (eglot--signal-textDocument/didChange)
      (pcase-let* ((`(,beg ,end ,table . ,_) (eglot-completion-at-point))
                   (labels (mapcar (lambda (c) (plist-get (get-text-property 0 'eglot--lsp-item c) :label))
                                   (all-completions (buffer-substring beg end) table))))
        (formwork-check (and (member "DBInstanceClass" labels) (not (member "DBInstanceArn" labels)))
                        (format "properties offered: %S" labels)))
      (formwork-finish "ok"))
  (error (formwork-finish (format "%s" (error-message-string problem)))))
