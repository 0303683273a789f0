-- formwork lsp in Neovim 0.7 to 0.9 (init.lua): one server per project root, the folder
-- holding .formwork.yml (else .git, else the file's own folder).
local formwork_clients = {}

local function formwork_root(path)
  local folder = vim.fn.fnamemodify(path, ":p:h")
  local config = vim.fn.findfile(".formwork.yml", folder .. ";")
  if config ~= "" then return vim.fn.fnamemodify(config, ":p:h") end
  local git = vim.fn.finddir(".git", folder .. ";")
  if git ~= "" then return vim.fn.fnamemodify(git, ":p:h:h") end
  return folder
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = { "yaml", "json" },
  callback = function(args)
    local root = formwork_root(vim.api.nvim_buf_get_name(args.buf))
    if not formwork_clients[root] then
      formwork_clients[root] = vim.lsp.start_client({ name = "formwork", cmd = { "formwork", "lsp" }, root_dir = root })
    end
    if formwork_clients[root] then
      vim.lsp.buf_attach_client(args.buf, formwork_clients[root])
      vim.bo[args.buf].omnifunc = "v:lua.vim.lsp.omnifunc"
    end
  end,
})
