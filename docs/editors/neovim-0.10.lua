-- formwork lsp in Neovim 0.10 or later (init.lua): vim.lsp.start reuses the server of
-- the same root; vim.fs.root finds the folder holding .formwork.yml or .git.
vim.api.nvim_create_autocmd("FileType", {
  pattern = { "yaml", "json" },
  callback = function(args)
    vim.lsp.start({
      name = "formwork",
      cmd = { "formwork", "lsp" },
      root_dir = vim.fs.root(args.buf, { ".formwork.yml", ".git" }),
    })
  end,
})
