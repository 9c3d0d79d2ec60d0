import streamlit as st
from ui import session
st.title('data')
